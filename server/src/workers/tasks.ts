/**
 * The heavy tasks the service's worker threads run (see pool.ts). Each takes plain data and
 * returns bytes: a worker never queries the database (the embedded PGlite lives in the main
 * thread), the main thread reads what a task needs and sends it.
 */
import zlib from 'node:zlib';
import GeoJSONVT from 'geojson-vt';
import vtPbf from 'vt-pbf';
import { renderEntries } from '../publications/projection';
import type { ZoneEntry } from '../publications/record';
import { TILE_BUFFER, TILE_EXTENT, ZONES_LAYER } from '../tiles/tiles.repo';

/** Task names, shared by the callers and the handlers. */
export const Task = { gzip: 'gzip', renderDay: 'renderDay', cutTile: 'cutTile' } as const;

/** A large document is compressed fast rather than small: level 1 keeps most of the gain on repetitive coordinate digits. */
export const gzipLevelFor = (bytes: number) => (bytes > 1_000_000 ? 1 : 6);

/** Bytes that own their whole ArrayBuffer can be moved to the main thread instead of copied. */
function owned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}
const moved = <T extends Record<string, Uint8Array>>(result: T) => {
  const out = Object.fromEntries(Object.entries(result).map(([k, v]) => [k, owned(v)])) as T;
  return { result: out, transfer: Object.values(out).map((v) => v.buffer as ArrayBuffer) };
};

/** What {@link Task.renderDay} is given: the record's entries as they stood at the end of `day`. */
export interface RenderDayInput {
  day: string;
  publication: number;
  entries: (ZoneEntry & { geometry: string })[];
}

/** What {@link Task.cutTile} is given: the zones whose box reaches the tile, as the snapshot has them. */
export interface CutTileInput {
  z: number;
  x: number;
  y: number;
  features: { geometry: GeoJSON.MultiPolygon; properties: { id: string; kind: string; name: string; nextChangeOn: string | null } }[];
}

export const handlers = {
  [Task.gzip]: ({ bytes, level }: { bytes: Uint8Array; level?: number }) => moved({ gzip: zlib.gzipSync(bytes, { level: level ?? gzipLevelFor(bytes.length) }) }),

  /** A past day's map: the same bytes `renderEntries` gives, and their gzip. */
  [Task.renderDay]: ({ day, publication, entries }: RenderDayInput) => {
    const snapshot = renderEntries(day, publication, entries);
    const json = snapshot.json();
    const { result, transfer } = moved({ json, gzip: zlib.gzipSync(json, { level: gzipLevelFor(json.length) }) });
    return { result: { ...result, etag: snapshot.etag }, transfer };
  },

  /**
   * One zones tile cut in process (the embedded PGlite's PostGIS has no ST_AsMVT) from the zones
   * that reach it, and its gzip. geojson-vt cuts only down the path to this tile (indexMaxZoom 0).
   */
  [Task.cutTile]: ({ z, x, y, features }: CutTileInput) => {
    const tiler = new GeoJSONVT(
      { type: 'FeatureCollection', features: features.map((f) => ({ type: 'Feature' as const, geometry: f.geometry, properties: f.properties })) },
      { maxZoom: Math.max(z, 1), indexMaxZoom: 0, extent: TILE_EXTENT, buffer: TILE_BUFFER },
    );
    const tile = tiler.getTile(z, x, y);
    if (!tile || tile.features.length === 0) return moved({ mvt: new Uint8Array(0), gzip: new Uint8Array(0) });
    const mvt = vtPbf.fromGeojsonVt({ [ZONES_LAYER]: tile }, { version: 2, extent: TILE_EXTENT });
    return moved({ mvt, gzip: zlib.gzipSync(mvt, { level: 6 }) });
  },
};

/** A worker's bytes as a Buffer, without a copy. */
export const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
