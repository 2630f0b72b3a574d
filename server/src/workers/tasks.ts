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
import { buildZonesPage, zonesIndex, type CollectionRef, type PlainFeature, type ZonesIndex } from '../ogc/ogc.page';
import type { ItemsQuery } from '../ogc/ogc.service';

/** Task names, shared by the callers and the handlers. */
export const Task = { gzip: 'gzip', renderDay: 'renderDay', cutTile: 'cutTile', ogcPage: 'ogcPage' } as const;

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

/** A map of zones as the main thread hands it to {@link Task.ogcPage}: its etag and its gzipped GeoJSON. */
export interface SharedMap {
  /** The map's etag: the same etag, the same features. */
  key: string;
  /** The map's FeatureCollection gzipped, shared rather than copied (read only when this thread does not hold the map yet). */
  bytes: SharedArrayBuffer;
}

/** What {@link Task.ogcPage} is given: the maps a page reads and the query. */
export interface OgcPageInput {
  /** One map, or the maps of an interval's days in order: a zone is shown as on the last of them. */
  maps: SharedMap[];
  query: ItemsQuery;
  collection: CollectionRef;
}

/**
 * The maps this thread has indexed, by key (least recently used first). A publication every few
 * seconds makes a new map; a few are kept so pages of the previous one still being asked for and
 * the days of an interval do not parse again.
 */
const indexedMaps = new Map<string, ZonesIndex>();
const MAPS_KEPT = 6;

function keep(key: string, build: () => ZonesIndex): ZonesIndex {
  let z = indexedMaps.get(key);
  if (z) indexedMaps.delete(key);
  else z = build();
  indexedMaps.set(key, z);
  while (indexedMaps.size > MAPS_KEPT) indexedMaps.delete(indexedMaps.keys().next().value!);
  return z;
}

function mapIndex(map: SharedMap): ZonesIndex {
  return keep(map.key, () => zonesIndex((JSON.parse(zlib.gunzipSync(Buffer.from(map.bytes)).toString('utf8')) as { features: PlainFeature[] }).features));
}

/** The zones of one map, or of several (the days of an interval): each zone as on the last map that has it. */
function zonesOf(maps: SharedMap[]): ZonesIndex {
  if (maps.length === 1) return mapIndex(maps[0]);
  return keep(maps.map((m) => m.key).join('|'), () => {
    const latest = new Map<string, PlainFeature>();
    for (const m of maps) for (const f of mapIndex(m).features) latest.set(f.id, f);
    return zonesIndex([...latest.values()]);
  });
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

  /** One page of the zones collection and its gzip: matched, filtered, sorted and serialized here, not on the event loop. */
  [Task.ogcPage]: ({ maps, query, collection }: OgcPageInput) => {
    const { json, matched } = buildZonesPage(zonesOf(maps), query, collection);
    // Level 6 even for a page of megabytes: it is built once and then sent many times (level 1
    // made pages a third larger, and the bench's page of a thousand zones was served at half the rate).
    const { result, transfer } = moved({ json, gzip: zlib.gzipSync(json, { level: 6 }) });
    return { result: { ...result, matched }, transfer };
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
