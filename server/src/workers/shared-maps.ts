import { setImmediate as nextTurn } from 'node:timers/promises';
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

/** Bytes copied per turn of the event loop when a shared map is written: 1 MB is about a millisecond. */
const COPY_SLICE_BYTES = 1 << 20;

/**
 * `pieces` joined into one Buffer over a SharedArrayBuffer, copied a slice per turn of the event
 * loop. A map's gzip is several MB: joined in one go, then copied again into shared memory for the
 * worker threads, it held the event loop 70–190 ms at each publication under the mixed bench.
 * Written this way, its bytes are copied once, in slices between which other requests run, and
 * the worker threads read those very bytes (see {@link sharedMaps}).
 */
export async function joinShared(pieces: readonly Uint8Array[]): Promise<Buffer> {
  let total = 0;
  for (const piece of pieces) total += piece.length;
  const out = Buffer.from(new SharedArrayBuffer(total));
  let at = 0;
  let sinceTurn = 0;
  for (const piece of pieces) {
    for (let from = 0; from < piece.length; ) {
      const n = Math.min(piece.length - from, COPY_SLICE_BYTES - sinceTurn);
      out.set(piece.subarray(from, from + n), at);
      at += n;
      from += n;
      sinceTurn += n;
      if (sinceTurn >= COPY_SLICE_BYTES) {
        sinceTurn = 0;
        await nextTurn();
      }
    }
  }
  return out;
}

/** Whether `bytes` is the whole of a SharedArrayBuffer (as {@link joinShared} makes it). */
function wholeShared(bytes: Buffer): bytes is Buffer & { buffer: SharedArrayBuffer } {
  return bytes.buffer instanceof SharedArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
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
      // Today's map is made in shared memory already (publications/map-gzip.ts); another is copied.
      const made = source.gzip().then(async (gzip) => {
        const shared = wholeShared(gzip) ? gzip : await joinShared([gzip]);
        return { key: source.etag, bytes: shared.buffer as SharedArrayBuffer };
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
