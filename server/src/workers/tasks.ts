/**
 * The heavy tasks the service's worker threads run (see pool.ts). Each takes plain data and
 * returns bytes: a worker never queries the database (the embedded PGlite lives in the main
 * thread), the main thread reads what a task needs and sends it.
 */
import zlib from 'node:zlib';
import { renderEntries } from '../publications/projection';
import type { PublicZoneProps, ZoneEntry } from '../publications/record';
import { cutZonesTile, zonesTiler, type ZonesTiler } from '../tiles/zones-tiler';
import { buildZonesPage, zonesIndex, type CollectionRef, type PlainFeature, type ZonesIndex } from '../ogc/ogc.page';
import type { ItemsQuery } from '../ogc/ogc.service';
import { readSharedMap } from './shared-maps';

/** Task names, shared by the callers and the handlers. */
export const Task = { gzip: 'gzip', renderDay: 'renderDay', cutTile: 'cutTile', indexTiles: 'indexTiles', ogcPage: 'ogcPage' } as const;

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
  /** The day's entries as the record gives them in one text (`entriesJsonAt`): parsed here, not on the event loop. */
  entriesJson: string;
}

/** What {@link Task.cutTile} is given: the map (today's, shared) and the tile's address. */
export interface CutTileInput {
  map: SharedMap;
  z: number;
  x: number;
  y: number;
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
  return keep(map.key, () => zonesIndex(readSharedMap<PlainFeature>(map)));
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

/**
 * Tiles are gzipped fast: their zigzag-encoded geometry compresses to about 45 % at any level, and
 * level 1 made 3 % more bytes than level 6 in half the time (1,500 tiles of the bench's map, 1.2–1.5
 * against 2.1–2.4 ms a tile), which on a cold tile was as much as cutting it.
 */
export const TILE_GZIP_LEVEL = 1;

/** Tilers kept, by map key: today's map and the one before it, still asked for by a client that has not refreshed. */
const TILERS_KEPT = 2;
const tilers = new Map<string, ZonesTiler>();

/** The zones of a map projected and indexed for cutting tiles, once per map. */
function tilerOf(map: SharedMap): ZonesTiler {
  let tiler = tilers.get(map.key);
  if (tiler) tilers.delete(map.key);
  else {
    tiler = zonesTiler(
      mapIndex(map).features.map((f) => {
        const { kind, name, nextChangeOn } = f.properties as Pick<PublicZoneProps, 'kind' | 'name' | 'nextChangeOn'>;
        // No feature id: MVT ids are integers and zone ids are UUIDs; the id travels as a property.
        return { geometry: f.geometry as GeoJSON.MultiPolygon, properties: { id: f.id, kind, name, nextChangeOn } };
      }),
    );
  }
  tilers.set(map.key, tiler);
  while (tilers.size > TILERS_KEPT) tilers.delete(tilers.keys().next().value!);
  return tiler;
}

export const handlers = {
  [Task.gzip]: ({ bytes, level }: { bytes: Uint8Array; level?: number }) => moved({ gzip: zlib.gzipSync(bytes, { level: level ?? gzipLevelFor(bytes.length) }) }),

  /** A past day's map: the same bytes `renderEntries` gives, and their gzip. */
  [Task.renderDay]: ({ day, publication, entriesJson }: RenderDayInput) => {
    const snapshot = renderEntries(day, publication, JSON.parse(entriesJson) as (ZoneEntry & { geometry: string })[]);
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

  /** Makes a map's tile index ahead of its first tile (when the map is published). */
  [Task.indexTiles]: ({ map }: { map: SharedMap }) => {
    tilerOf(map);
    return null;
  },

  /**
   * One zones tile of a map and its gzip, cut from the map held in this thread (tiles/zones-tiler.ts,
   * ST_AsMVTGeom's rule) rather than by a PostgreSQL query per tile.
   */
  [Task.cutTile]: ({ map, z, x, y }: CutTileInput) => {
    const mvt = cutZonesTile(tilerOf(map), z, x, y);
    return moved({ mvt, gzip: mvt.length ? zlib.gzipSync(mvt, { level: TILE_GZIP_LEVEL }) : new Uint8Array(0) });
  },
};

/** A worker's bytes as a Buffer, without a copy. */
export const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
