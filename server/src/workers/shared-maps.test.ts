import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { countTurns } from '../../../tests/helpers/turns';
import { ChunkedGzip, type MapPart } from '../publications/map-gzip';
import { joinShared, readSharedMap, sharedMaps } from './shared-maps';

describe('joinShared', () => {
  it('joins the pieces byte for byte into one SharedArrayBuffer', async () => {
    const pieces = [Buffer.from('{"a":'), crypto.randomBytes(2_500_000), Buffer.alloc(0), crypto.randomBytes(700_001), Buffer.from('}')];
    const out = await joinShared(pieces);
    expect(out.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(out.byteLength).toBe(out.buffer.byteLength);
    expect(out.equals(Buffer.concat(pieces))).toBe(true);
  });

  it('lets the event loop turn between slices of a large copy', async () => {
    const turns = countTurns();
    // 6 MB: copied whole in one task, no other callback would run before it ends.
    await joinShared([crypto.randomBytes(6 << 20)]);
    turns.stop();
    expect(turns.turn()).toBeGreaterThanOrEqual(4);
  });
});

describe('sharedMaps', () => {
  const features = Array.from({ length: 300 }, (_, i) => ({ type: 'Feature', id: `z${i}`, geometry: null, properties: { name: `样本${i}` } }));
  const parts: MapPart[] = features.map((f) => ({ key: f.id, bytes: Buffer.from(JSON.stringify(f)) }));
  const prefix = Buffer.from('{"type":"FeatureCollection","features":[');
  const suffix = Buffer.from(']}');

  it('hands the worker threads the very bytes of today’s map, made in shared memory: no second copy', async () => {
    const gzip = await new ChunkedGzip().gzip(prefix, parts, suffix);
    expect(gzip.buffer).toBeInstanceOf(SharedArrayBuffer);
    const map = await sharedMaps()({ etag: '"r1-2022-04-25"', gzip: async () => gzip });
    expect(map.bytes).toBe(gzip.buffer);
    expect(readSharedMap(map)).toEqual(features);
  });

  it('copies a map made elsewhere into shared memory once, and reads it back', async () => {
    const gzip = zlib.gzipSync(Buffer.concat([prefix, Buffer.from(parts.map((p) => p.bytes.toString()).join(',')), suffix]));
    let made = 0;
    const cache = sharedMaps();
    const source = { etag: '"r2-2022-04-25"', gzip: async () => (made++, gzip) };
    const [a, b] = await Promise.all([cache(source), cache(source)]);
    expect(a).toBe(b);
    expect(made).toBe(1);
    expect(a.bytes).toBeInstanceOf(SharedArrayBuffer);
    expect(readSharedMap(a)).toEqual(features);
  });
});
