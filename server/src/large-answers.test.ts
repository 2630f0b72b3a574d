import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { endLarge } from './large-answers';

/** Distinct bytes, so that a slice written twice or out of order shows. */
const bodyOf = (size: number, seed: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seed) & 0xff));

let server: http.Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = null;
});

/** A server that answers `/<n>` with `bodies[n]` through `endLarge`, and tells `onAnswer` of each response. */
async function serve(bodies: Buffer[], onAnswer: (res: http.ServerResponse) => void = () => undefined): Promise<string> {
  server = http.createServer((req, res) => {
    onAnswer(res);
    endLarge(res, 200, { 'Content-Type': 'application/octet-stream' }, bodies[Number(req.url!.slice(1))]);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const get = (url: string, agent: http.Agent) =>
  new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });

describe('endLarge', () => {
  it('delivers small and large answers whole, in order, with their length', async () => {
    const bodies = [bodyOf(10, 1), bodyOf(256 * 1024, 2), bodyOf(256 * 1024 + 1, 3), bodyOf(3_000_001, 4)];
    const base = await serve(bodies);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const got = await Promise.all(bodies.map((_, i) => get(`${base}/${i}`, agent)));
    got.forEach((g, i) => {
      expect(g.headers['content-length']).toBe(String(bodies[i].length));
      expect(g.body.equals(bodies[i])).toBe(true);
    });
    agent.destroy();
  });

  it('hands the sockets at most about a megabyte per turn of the event loop, however many answers are waiting', async () => {
    const body = bodyOf(4 * 1024 * 1024, 5);
    const bodies = Array.from({ length: 12 }, () => body);
    // The sockets, kept: a response lets go of its socket once it has finished.
    const sockets = new Set<Socket>();
    const base = await serve(bodies, (res) => sockets.add(res.socket!));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 12 });
    // Written per turn: what the sockets were handed between two turns of the check phase.
    const perTurn: number[] = [];
    let last = 0;
    let watching = true;
    const written = () => [...sockets].reduce((n, s) => n + s.bytesWritten, 0);
    const watch = () => {
      const now = written();
      perTurn.push(now - last);
      last = now;
      if (watching) setImmediate(watch);
    };
    const all = Promise.all(bodies.map((_, i) => get(`${base}/${i}`, agent)));
    setImmediate(watch);
    const got = await all;
    watching = false;
    watch();
    for (const g of got) expect(g.body.equals(body)).toBe(true);
    // 48 MB went out, never more than the budget (plus headers) in one turn: a single write of
    // every answer would have handed them all over at once.
    expect(Math.max(...perTurn)).toBeLessThan(1024 * 1024 + 12 * 1024);
    expect(perTurn.reduce((a, b) => a + b, 0)).toBeGreaterThan(48 * 1024 * 1024);
    agent.destroy();
  });

  it('goes on with the others while one client does not read, and drops an answer whose client left', async () => {
    const big = bodyOf(32 * 1024 * 1024, 6);
    const other = bodyOf(2 * 1024 * 1024, 7);
    const base = await serve([big, other]);
    // A client that reads nothing: its socket fills, its answer waits for `drain`.
    const stalled = await new Promise<http.IncomingMessage>((resolve) => http.get(`${base}/0`, { agent: false }, resolve));
    stalled.pause();
    // One that leaves halfway.
    const left = new Promise<void>((resolve) =>
      http.get(`${base}/0`, { agent: false }, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => {
          n += c.length;
          if (n > 1024 * 1024) {
            res.destroy();
            resolve();
          }
        });
      }),
    );
    await left;
    const agent = new http.Agent({ keepAlive: true });
    const got = await get(`${base}/1`, agent);
    expect(got.body.equals(other)).toBe(true);
    // The stalled client, reading at last, still gets every byte.
    const chunks: Buffer[] = [];
    stalled.on('data', (c: Buffer) => chunks.push(c));
    await new Promise<void>((resolve) => {
      stalled.on('end', () => resolve());
      stalled.resume();
    });
    expect(Buffer.concat(chunks).equals(big)).toBe(true);
    agent.destroy();
  });
});
