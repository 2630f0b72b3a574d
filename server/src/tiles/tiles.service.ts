// Vector tiles of the zones in force, for the public map when the zones are too many to send as
// one GeoJSON document. A tile shows exactly what GET /api/public/zones shows: it is cut from
// the same cached snapshot, and tiles are cached per snapshot, so a publication or an expiry
// transition (a new snapshot, a new ETag) makes every cached tile unreachable at once.

import crypto from 'node:crypto';
import type { WorkerPool } from '../workers/pool';
import { Task, asBuffer, type CutTileInput } from '../workers/tasks';
import type { SharedMapCache } from '../workers/shared-maps';
import { AppError, type ErrorCode } from '../errors';
import type { PublicSnapshot } from '../public/public.service';
import { MAX_TILE_ZOOM, TILE_BUFFER, TILE_EXTENT, ZONES_LAYER } from './tile-grid';

export { MAX_TILE_ZOOM } from './tile-grid';

/** Stable error codes of the tile endpoint. */
export const TileErrorCode = {
  zoomOutOfRange: 'tile_zoom_out_of_range',
  coordinateOutOfRange: 'tile_coordinate_out_of_range',
} as const satisfies Record<string, ErrorCode>;

/** A tile address in the XYZ (slippy map) scheme. */
export interface TileCoordinates {
  z: number;
  x: number;
  y: number;
}

/** A tile ready to send. */
export interface ZonesTile {
  /** Weak: the same tile is sent gzipped or not. */
  etag: string;
  /** The last publication the tile shows: the `v` of the current tile URLs. */
  publication: number;
  /** Mapbox Vector Tile bytes; empty when no zone reaches the tile. */
  mvt: Buffer;
  /** The gzip bytes, compressed once per cached tile on a worker thread. */
  gzip: Buffer;
}

/** Bounds of the tile cache. */
export interface TileCacheLimits {
  /** @defaultValue 20000 */
  maxTiles: number;
  /** Bytes of MVT and gzip kept together. @defaultValue 64 MiB */
  maxBytes: number;
}

const DEFAULT_LIMITS: TileCacheLimits = { maxTiles: 20_000, maxBytes: 64 * 1024 * 1024 };

const DIGITS = /^\d{1,8}$/;

/**
 * Reads z/x/y from the path: z an integer 0–{@link MAX_TILE_ZOOM}, x and y integers 0…2^z−1.
 * Throws 400 `tile_zoom_out_of_range` or `tile_coordinate_out_of_range`.
 */
export function parseTileCoordinates(z: string, x: string, y: string): TileCoordinates {
  const zoom = DIGITS.test(z) ? Number(z) : NaN;
  if (!(zoom >= 0 && zoom <= MAX_TILE_ZOOM)) {
    throw new AppError(TileErrorCode.zoomOutOfRange, 400, `z must be a whole number from 0 to ${MAX_TILE_ZOOM}.`, { z, maxZoom: MAX_TILE_ZOOM });
  }
  const max = 2 ** zoom - 1;
  const column = DIGITS.test(x) ? Number(x) : NaN;
  const row = DIGITS.test(y) ? Number(y) : NaN;
  if (!(column >= 0 && column <= max && row >= 0 && row <= max)) {
    throw new AppError(TileErrorCode.coordinateOutOfRange, 400, `x and y must be whole numbers from 0 to ${max} at zoom ${zoom}.`, { z: zoom, x, y, max });
  }
  return { z: zoom, x: column, y: row };
}

/** Longitude/latitude box of a tile grown by `buffer` tile units on each side (Web Mercator). */
export function tileBounds({ z, x, y }: TileCoordinates, buffer = 0): [number, number, number, number] {
  const n = 2 ** z;
  const grow = buffer / TILE_EXTENT;
  const lon = (column: number) => (column / n) * 360 - 180;
  const lat = (row: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * row) / n))) * 180) / Math.PI;
  return [
    Math.max(-180, lon(x - grow)),
    Math.max(-85.0511287798066, lat(y + 1 + grow)),
    Math.min(180, lon(x + 1 + grow)),
    Math.min(85.0511287798066, lat(y - grow)),
  ];
}

interface CachedTile {
  mvt: Buffer;
  gzipped: Buffer;
}

/** What is derived once per public snapshot: its tiles. */
interface SnapshotTiles {
  snapshot: PublicSnapshot;
  /** Least recently used first (Map order; a hit re-inserts). */
  tiles: Map<string, CachedTile>;
  building: Map<string, Promise<CachedTile>>;
  bytes: number;
}

/** Dependencies of the tile service. */
export interface TilesDeps {
  /** The cached snapshot of the zones in force. */
  zones: () => Promise<PublicSnapshot>;
  limits?: Partial<TileCacheLimits>;
  /** The tile threads: tiles are cut and gzipped there, never on the event loop. */
  workers: WorkerPool;
  /** Maps shared with the worker threads (one cache per context). */
  sharedMap: SharedMapCache;
}

/**
 * Zones tiles, cut on a tile thread from the map the public sees (zones-tiler.ts: ST_AsMVTGeom's
 * snapping and clipping rule, the map projected and indexed once per map) and gzipped there, once
 * per tile. Not by a PostgreSQL query per tile: one ST_AsMVT query per tile reached a third of the
 * rate the bare query reached in the bench; a tile of the whole city (zoom 10, thousands of zones)
 * took about a second in PostgreSQL under load and a quarter of that on a tile thread; and
 * PGlite's PostGIS has no ST_AsMVT at all. The bench compares the two cuts tile by tile.
 */
export function tilesService(deps: TilesDeps) {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  let current: SnapshotTiles | null = null;

  const forSnapshot = (snapshot: PublicSnapshot): SnapshotTiles => {
    if (current?.snapshot !== snapshot) current = { snapshot, tiles: new Map(), building: new Map(), bytes: 0 };
    return current;
  };

  /** The zones whose bounding box reaches the tile (with its buffer), from the snapshot's index. */
  const candidates = (snapshot: PublicSnapshot, coords: TileCoordinates): number[] => {
    if (!snapshot.index) return [];
    const [minLon, minLat, maxLon, maxLat] = tileBounds(coords, TILE_BUFFER);
    return snapshot.index.search(minLon, minLat, maxLon, maxLat);
  };

  const build = async (entry: SnapshotTiles, { z, x, y }: TileCoordinates): Promise<CachedTile> => {
    const reaching = candidates(entry.snapshot, { z, x, y });
    // Most of the map has no zone: those tiles never reach a thread.
    if (reaching.length === 0) return { mvt: Buffer.alloc(0), gzipped: Buffer.alloc(0) };
    const map = await deps.sharedMap(entry.snapshot);
    const out = await deps.workers.run<{ mvt: Uint8Array; gzip: Uint8Array }>(Task.cutTile, { map, z, x, y } satisfies CutTileInput);
    return { mvt: asBuffer(out.mvt), gzipped: asBuffer(out.gzip) };
  };

  const remember = (entry: SnapshotTiles, key: string, tile: CachedTile) => {
    entry.tiles.set(key, tile);
    entry.bytes += tile.mvt.length + tile.gzipped.length;
    for (const [oldKey, old] of entry.tiles) {
      if (entry.tiles.size <= limits.maxTiles && entry.bytes <= limits.maxBytes) break;
      if (old === tile) break;
      entry.tiles.delete(oldKey);
      entry.bytes -= old.mvt.length + old.gzipped.length;
    }
  };

  const tileAt = async (entry: SnapshotTiles, key: string, coords: TileCoordinates): Promise<CachedTile> => {
    const cached = entry.tiles.get(key);
    if (cached) {
      entry.tiles.delete(key);
      entry.tiles.set(key, cached);
      return cached;
    }
    // Concurrent requests for one tile share one build.
    let pending = entry.building.get(key);
    if (!pending) {
      pending = build(entry, coords);
      entry.building.set(key, pending);
      pending
        .then((tile) => {
          if (current === entry) remember(entry, key, tile);
        })
        // Every requester awaits `pending` itself and gets its error; this chain only keeps the cache.
        .catch(() => undefined)
        .finally(() => entry.building.delete(key));
    }
    return pending;
  };

  return {
    /**
     * Has a worker thread index `snapshot` for cutting tiles (parsed, projected, indexed: about half
     * a second for 5,000 zones), so the first tiles of a newly published map are not all kept
     * waiting for it. Called for each new map of today (app.ts). One task per thread of the pool,
     * given at once, so each idle thread takes one; a thread busy cutting a tile then may index
     * twice (the second finds its index made) while another makes its own on its first cut.
     */
    async prepare(snapshot: PublicSnapshot): Promise<void> {
      if (!snapshot.index) return;
      const map = await deps.sharedMap(snapshot);
      await Promise.all(Array.from({ length: deps.workers.stats().threads }, () => deps.workers.run(Task.indexTiles, { map })));
    },

    /**
     * The tile at `coords` of the zones in force, or only its ETag when `ifNoneMatch` names it
     * (the 304 path builds nothing).
     */
    async tile(coords: TileCoordinates, ifNoneMatch?: string): Promise<{ notModified: true; etag: string; publication: number } | ({ notModified: false } & ZonesTile)> {
      const snapshot = await deps.zones();
      const key = `${coords.z}/${coords.x}/${coords.y}`;
      const etag = `W/"${crypto.createHash('sha1').update(snapshot.etag).update(key).digest('base64url')}"`;
      const publication = snapshot.publication;
      if (ifNoneMatch && matchesEtag(ifNoneMatch, etag)) return { notModified: true, etag, publication };
      const entry = forSnapshot(snapshot);
      const tile = await tileAt(entry, key, coords);
      return {
        notModified: false,
        etag,
        publication,
        mvt: tile.mvt,
        gzip: tile.gzipped,
      };
    },
  };
}

/** What the tiles carry in layer {@link ZONES_LAYER}: TileJSON `vector_layers` fields (name → description). */
export const ZONE_TILE_FIELDS = {
  id: 'String: the zone id (a UUID; MVT feature ids are integers, so it travels as a property)',
  kind: 'String: sealed, controlled or precaution',
  name: 'String: the zone name as published',
  nextChangeOn: 'String: the expected change date (YYYY-MM-DD, Asia/Shanghai); absent when none is foreseen',
} as const;

/** Lowest zoom served: the whole service area fits one tile at zoom 0. */
export const MIN_TILE_ZOOM = 0;

/** Settings the TileJSON is built from. */
export interface TileJsonOptions {
  /** Base of every absolute link (`PUBLIC_URL`), without a trailing slash. */
  publicUrl: string;
  /** The configured service area, minLon,minLat,maxLon,maxLat. */
  serviceArea: [number, number, number, number];
}

/**
 * The TileJSON 3.0.0 document of the zones tiles (github.com/mapbox/tilejson-spec, 3.0.0). Its tile
 * URL names the publication the map shows (`?v=N`): a new publication gives new URLs, so a tile
 * fetched under a `v` never changes and may be cached for good.
 */
export function zonesTileJson(publication: number, opts: TileJsonOptions) {
  const [minLon, minLat, maxLon, maxLat] = opts.serviceArea;
  return {
    tilejson: '3.0.0',
    name: 'zones',
    description: 'Epidemic risk zones in force in Liaocheng, as the public record publishes them.',
    version: '1.0.0',
    scheme: 'xyz',
    tiles: [`${opts.publicUrl}/tiles/zones/{z}/{x}/{y}.mvt?v=${publication}`],
    minzoom: MIN_TILE_ZOOM,
    maxzoom: MAX_TILE_ZOOM,
    bounds: [minLon, minLat, maxLon, maxLat],
    // The middle of the service area, at the zoom where a county fills a screen.
    center: [(minLon + maxLon) / 2, (minLat + maxLat) / 2, 9],
    vector_layers: [{ id: ZONES_LAYER, description: 'Zones in force', minzoom: MIN_TILE_ZOOM, maxzoom: MAX_TILE_ZOOM, fields: { ...ZONE_TILE_FIELDS } }],
    /** Not TileJSON: the publication the tile URLs name (clients MUST ignore unknown keys). */
    publication,
  };
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored. */
function matchesEtag(header: string, etag: string): boolean {
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => {
    const value = candidate.trim();
    return value === '*' || value.replace(/^W\//, '') === opaque;
  });
}

export type TilesService = ReturnType<typeof tilesService>;
