/**
 * The most a Node process can answer on this machine: node:http writing the same bytes to every
 * request (BODY_FILE, a real answer of the service recorded beforehand), reading the query as any
 * handler must and doing nothing else. Whatever a service adds to this, it adds to Node's own cost
 * of a request; the lookup case reads its figure against this one. Prints `{"url": …}` once listening.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const body = fs.readFileSync(process.env.BODY_FILE!);
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!url.searchParams.has('lon')) {
    res.writeHead(400).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': String(body.length) }).end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pid: process.pid })}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
