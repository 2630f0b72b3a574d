/**
 * The lookup case's reference: the minimal "am I in a zone?" handler people would write instead,
 * on node:http with no framework, one ST_Intersects query per request (answered from the GiST
 * index on zones.geom). Runs in its own process so it does not share an event loop with the load
 * generator. Prints `{"url": …}` once listening.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const SQL = `SELECT id, kind, name FROM zones
             WHERE status = 'published' AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))`;

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const lon = Number(url.searchParams.get('lon'));
  const lat = Number(url.searchParams.get('lat'));
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
    res.writeHead(400).end();
    return;
  }
  pool.query(SQL, [lon, lat]).then(
    (r) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ zones: r.rows }));
    },
    () => res.writeHead(500).end(),
  );
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pid: process.pid })}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => pool.end().finally(() => process.exit(0)));
});
