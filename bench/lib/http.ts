/** Small HTTP helpers for the bench's own checks (not the measured load). */
import http from 'node:http';
import zlib from 'node:zlib';

/** A GET with the raw (possibly gzipped) body and the headers, without fetch's own decompression. */
export function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** The body as text, gunzipped when the response says so. */
export function bodyText(res: { headers: http.IncomingHttpHeaders; body: Buffer }): string {
  return (res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(res.body) : res.body).toString('utf8');
}

/** A GET that must answer 200 (gzip accepted); returns the parsed JSON. */
export async function getJson(url: string, headers: Record<string, string> = {}): Promise<any> {
  const res = await rawGet(url, { 'accept-encoding': 'gzip', ...headers });
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${bodyText(res).slice(0, 300)}`);
  return JSON.parse(bodyText(res));
}

/** The q-quantile of a list of numbers (0.5: the median); NaN for an empty list. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
