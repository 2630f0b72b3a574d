// Types for the Mapbox Vector Tile decoding packages, which ship none: only what the tiles' tests
// and the bench use.

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
