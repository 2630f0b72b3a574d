/**
 * The most a Node process can answer on this machine: node:http writing the same answer to every
 * request (BODY_FILE, a real answer of the service recorded beforehand, and HEADERS_FILE, the
 * headers it came with: the security headers every answer of the service carries are part of the
 * cost of an answer), reading the query as any handler must and doing nothing else. Whatever a
 * service adds to this, it adds to Node's own cost of a request; the lookup case reads its figure
 * against this one. Prints `{"url": …}` once listening.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const body = fs.readFileSync(process.env.BODY_FILE!);
const recorded = JSON.parse(fs.readFileSync(process.env.HEADERS_FILE!, 'utf8')) as Record<string, string>;
const headers = { ...recorded, 'Content-Length': String(body.length) };
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!url.searchParams.has('lon')) {
    res.writeHead(400).end();
    return;
  }
  res.writeHead(200, headers).end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pid: process.pid })}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
