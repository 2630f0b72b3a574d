import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { countTurns } from '../../tests/helpers/turns';
import { discardingUnreadBodies } from './http';

/** A server that answers every request at once without reading its body, as a refusal does. */
async function refusingServer(options: Parameters<typeof discardingUnreadBodies>[1]) {
  const server = http.createServer(
    discardingUnreadBodies((req, res) => {
      if (req.method === 'PUT') {
        // This one reads its body: nothing is left to discard.
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => res.end(String(Buffer.concat(chunks).length)));
        return;
      }
      res.statusCode = 401;
      res.end('{"error":{"code":"unauthorized"}}');
    }, options),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => (s.closeAllConnections(), s.close(r)))));
});

/** One request on `agent`: its status, its body, and the local port of its connection. */
function send(agent: http.Agent, url: string, method: string, body?: Buffer): Promise<{ status: number; text: string; port: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString(), port: req.socket!.localPort! }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('discardingUnreadBodies', () => {
  it('reads a refused body off its connection, which then carries the next request', async () => {
    let discarded = 0;
    const url = await refusingServer({ onDiscarded: (n) => (discarded += n) });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const body = Buffer.alloc(2 << 20, 'x');
    const refused = await send(agent, url, 'POST', body);
    expect(refused.status).toBe(401);
    const next = await send(agent, url, 'GET');
    expect(next.status).toBe(401);
    // The same connection, so the whole body was read off it.
    expect(next.port).toBe(refused.port);
    expect(discarded).toBe(body.length);
    agent.destroy();
  });

  it('reads refused bodies off a budget per turn of the event loop, over all connections', async () => {
    const bytesPerTurn = 256 << 10;
    const turns = countTurns();
    // Bytes read off the sockets per turn. A body's first chunk was read off before its answer (by
    // Node, with the request's head), so it is counted apart.
    const perTurn = new Map<number, number>();
    let firstChunks = 0;
    const url = await refusingServer({
      bytesPerTurn,
      onDiscarded: (n, first) => (first ? (firstChunks += n) : perTurn.set(turns.turn(), (perTurn.get(turns.turn()) ?? 0) + n)),
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
    const body = Buffer.alloc(1 << 20, 'x');
    const answers = await Promise.all(Array.from({ length: 20 }, () => send(agent, url, 'POST', body)));
    expect(answers.every((a) => a.status === 401)).toBe(true);
    // Every connection carries a next request: each body was read off whole.
    const again = await Promise.all(Array.from({ length: 20 }, () => send(agent, url, 'GET')));
    expect(again.every((a) => a.status === 401)).toBe(true);
    turns.stop();
    const total = [...perTurn.values()].reduce((a, b) => a + b, firstChunks);
    expect(total).toBe(20 * body.length);
    // At most the budget and one read (64 kB) beyond it in any turn; Node alone reads up to 2 MB per connection per turn.
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(bytesPerTurn + (64 << 10));
    expect(perTurn.size).toBeGreaterThanOrEqual((20 * body.length - firstChunks) / (bytesPerTurn + (64 << 10)));
    agent.destroy();
  });

  it('closes the connection of a refused body longer than the limit, after its answer', async () => {
    const url = await refusingServer({ limitBytes: 1 << 20 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const status = await new Promise<number>((resolve) => {
      const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(8 << 20) } }, (res) => {
        resolve(res.statusCode!);
        res.resume();
      });
      // The client may see its connection reset while it still sends: the answer came first.
      req.on('error', () => undefined);
      req.end(Buffer.alloc(8 << 20, 'x'));
    });
    expect(status).toBe(401);
    agent.destroy();
  });

  it('leaves a body the handler read alone', async () => {
    let discarded = 0;
    const url = await refusingServer({ onDiscarded: (n) => (discarded += n) });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const read = await send(agent, url, 'PUT', Buffer.alloc(300_000, 'y'));
    expect(read).toMatchObject({ status: 200, text: '300000' });
    expect(discarded).toBe(0);
    agent.destroy();
  });
});
