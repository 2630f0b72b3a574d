import { execFileSync } from 'node:child_process';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ChunkedGzip, type MapPart } from './map-gzip';

const prefix = Buffer.from('{"type":"FeatureCollection","features":[');
const suffix = Buffer.from(']}');

function feature(id: number, day = '2022-04-25'): MapPart {
  const ring = Array.from({ length: 40 }, (_, i) => [115.9 + ((id * 7 + i) % 97) / 1000, 36.4 + ((id * 13 + i * 3) % 89) / 1000]);
  const json = JSON.stringify({ type: 'Feature', id: `z${id}`, geometry: { type: 'Polygon', coordinates: [ring] }, properties: { name: `样本小区${id}号楼`, day } });
  return { key: `z${id}@${day}`, bytes: Buffer.from(json) };
}

function raw(parts: MapPart[]): Buffer {
  return Buffer.concat([prefix, Buffer.from(parts.map((p) => p.bytes.toString()).join(',')), suffix]);
}

describe('ChunkedGzip', () => {
  it('writes one gzip member that gunzip (node:zlib and the gzip program) reads back byte for byte', async () => {
    const parts = Array.from({ length: 500 }, (_, i) => feature(i));
    const gz = new ChunkedGzip();
    const out = await gz.gzip(prefix, parts, suffix);
    expect(zlib.gunzipSync(out).equals(raw(parts))).toBe(true);
    expect(execFileSync('gzip', ['-dc'], { input: out }).equals(raw(parts))).toBe(true);
    // Chunked, it still compresses: well under half of the map's bytes.
    expect(out.length).toBeLessThan(raw(parts).length / 2);
  });

  it('recompresses only the chunks a change touches: one zone changed, one zone inserted, one removed', async () => {
    const parts = Array.from({ length: 2000 }, (_, i) => feature(i));
    const gz = new ChunkedGzip();
    await gz.gzip(prefix, parts, suffix);
    const first = gz.compressedChunks;
    expect(first).toBeGreaterThan(20);

    const changed = [...parts];
    changed[700] = feature(700, '2022-04-26');
    changed.splice(1200, 0, feature(99_999));
    changed.splice(100, 1);
    const out = await gz.gzip(prefix, changed, suffix);
    expect(zlib.gunzipSync(out).equals(raw(changed))).toBe(true);
    // Three chunks at most (the removed zone's, the changed zone's, the inserted zone's).
    expect(gz.compressedChunks - first).toBeGreaterThan(0);
    expect(gz.compressedChunks - first).toBeLessThanOrEqual(3);

    // The same version again costs nothing.
    const again = gz.compressedChunks;
    expect((await gz.gzip(prefix, changed, suffix)).equals(out)).toBe(true);
    expect(gz.compressedChunks).toBe(again);
  });

  it('handles an empty map and a map of one feature', async () => {
    const gz = new ChunkedGzip();
    expect(zlib.gunzipSync(await gz.gzip(prefix, [], suffix)).toString()).toBe('{"type":"FeatureCollection","features":[]}');
    const one = [feature(1)];
    expect(zlib.gunzipSync(await gz.gzip(prefix, one, suffix)).equals(raw(one))).toBe(true);
  });
});
