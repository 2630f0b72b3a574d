import zlib from 'node:zlib';
import type { SharedMap } from './tasks';

/** A map of zones a worker thread may read: its etag and its gzipped GeoJSON. */
export interface MapSource {
  etag: string;
  gzip: () => Promise<Buffer>;
}

/** Hands out a map's shared bytes, copying each map once (see {@link sharedMaps}). */
export type SharedMapCache = (source: MapSource) => Promise<SharedMap>;

/** A shared map's features, read on the thread that needs them (a worker thread). */
export function readSharedMap<F>(map: SharedMap): F[] {
  return (JSON.parse(zlib.gunzipSync(Buffer.from(map.bytes)).toString('utf8')) as { features: F[] }).features;
}

/** Maps kept in memory the worker threads share (each a few MB of gzip). */
const SHARED_MAPS_KEPT = 8;

/**
 * A cache of the maps in memory a worker thread can read: each map's gzip (made for the public map
 * at each publication anyway, a quarter of the JSON's size) copied once into a SharedArrayBuffer,
 * after which every task (an OGC page, a tile) shares it instead of a structured clone of
 * thousands of features per task. Joining the JSON of today's map for this instead took 100–200 ms
 * of the event loop at each publication under the mixed bench. By etag (the same etag, the same
 * bytes), least recently used first. One cache per database's context (context.ts), shared by the
 * OGC pages, the tiles and the routing thread, not per process: an etag names a map of one
 * database, and tests run services of two databases in one process.
 */
export function sharedMaps(): SharedMapCache {
  const sharedBytes = new Map<string, Promise<SharedMap>>();
  return (source) => {
    let map = sharedBytes.get(source.etag);
    if (map) sharedBytes.delete(source.etag);
    else {
      const made = source.gzip().then((gzip) => {
        const bytes = new SharedArrayBuffer(gzip.length);
        new Uint8Array(bytes).set(gzip);
        return { key: source.etag, bytes };
      });
      // A failed compression is not kept: the next task asks again.
      made.catch(() => {
        if (sharedBytes.get(source.etag) === made) sharedBytes.delete(source.etag);
      });
      map = made;
    }
    sharedBytes.set(source.etag, map);
    while (sharedBytes.size > SHARED_MAPS_KEPT) sharedBytes.delete(sharedBytes.keys().next().value!);
    return map;
  };
}
