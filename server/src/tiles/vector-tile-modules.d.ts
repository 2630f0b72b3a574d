// Types for the Mapbox Vector Tile codec packages, which ship none: only what the tiles feature,
// its tests and the bench use.

declare module 'vt-pbf' {
  /** A geojson-vt tile (`getTile()` result) per layer name. */
  type GeojsonVtLayers = Record<string, { features: unknown[] }>;
  /** Encodes geojson-vt tiles as one Mapbox Vector Tile (protobuf bytes). */
  export function fromGeojsonVt(layers: GeojsonVtLayers, options?: { version?: number; extent?: number }): Uint8Array;
  const vtPbf: { fromGeojsonVt: typeof fromGeojsonVt };
  export default vtPbf;
}

declare module 'pbf' {
  /** A protobuf reader/writer over a byte buffer. */
  export default class Pbf {
    constructor(buffer?: Uint8Array | ArrayBuffer);
  }
}

declare module '@mapbox/vector-tile' {
  import type Pbf from 'pbf';

  export class VectorTileFeature {
    /** 1 point, 2 line, 3 polygon. */
    type: 0 | 1 | 2 | 3;
    extent: number;
    id: number | undefined;
    properties: Record<string, string | number | boolean>;
    loadGeometry(): { x: number; y: number }[][];
    toGeoJSON(x: number, y: number, z: number): GeoJSON.Feature;
  }

  export class VectorTileLayer {
    name: string;
    extent: number;
    version: number;
    length: number;
    feature(i: number): VectorTileFeature;
  }

  export class VectorTile {
    constructor(pbf: Pbf);
    layers: Record<string, VectorTileLayer>;
  }
}
