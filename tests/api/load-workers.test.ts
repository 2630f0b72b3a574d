/**
 * The service stays responsive under load (issue 13): heavy work runs on worker threads with a
 * bounded queue, identical concurrent requests share one build, a full queue answers 503
 * `server_busy` with Retry-After at once, and the public reads answered before Express carry the
 * same security headers as every other answer. Counters are the pools' own (a build counted, not
 * a duration measured); real HTTP on both backends.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backends } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';
import { fakeClock, realClock, travelTo } from '../helpers/clock';
import { fileURLToPath } from 'node:url';
import { Task, type RenderDayInput } from '../../server/src/workers';
import { WorkerPool } from '../../server/src/workers/pool';
import { CRS84 } from '../../server/src/ogc/ogc.service';

const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});
const PUBLISHED_ON = '2022-11-10';
const LATER = '2022-11-20';
/** Past days after the publication: each is a map of its own, built once. */
const PAST_DAYS = Array.from({ length: 9 }, (_, i) => `2022-11-1${i + 1}`);

/** Helmet's headers: the fast paths must send every one of them as the rest of the API does. */
const SECURITY_HEADERS = [
  'content-security-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy', 'origin-agent-cluster', 'referrer-policy',
  'strict-transport-security', 'x-content-type-options', 'x-dns-prefetch-control', 'x-download-options', 'x-frame-options',
  'x-permitted-cross-domain-policies', 'x-xss-protection',
];

const completed = (server: TestServer, pool: 'heavy' | 'tiles' | 'routing', task: string) => server.ctx.workers.stats()[pool].completed[task] ?? 0;

/** Keeps the only heavy worker thread busy for about a second: what follows must wait in its queue. */
const occupyHeavyThread = (server: TestServer) => server.ctx.workers.heavy.run(Task.gzip, { bytes: crypto.randomBytes(24_000_000), level: 9 });

describe.each(backends())('load and abuse on %s', (backend) => {
  let server: TestServer;
  let anon: Client;
  let zoneId: string;
  beforeAll(async () => {
    fakeClock();
    travelTo(PUBLISHED_ON);
    server = await startTestServer(backend, { WORKER_THREADS: '1', WORK_QUEUE_MAX: '50', LOGIN_RATE_LIMIT_PER_15MIN: '1000' });
    anon = new Client(server.url);
    const designer = await loginAs(server.url, 'designer1');
    const z = await designer.post('/api/zones', { type: 'Feature', geometry: square(115.98, 36.45, 0.01), properties: { kind: 'sealed', name: '负载测试小区' } });
    expect(z.status, z.text).toBe(201);
    zoneId = z.body.id;
    const b = await designer.post('/api/bulletins', { zoneIds: [zoneId], title: '关于划定风险区域的通告' });
    expect(b.status, b.text).toBe(201);
    travelTo(LATER);
  });
  afterAll(async () => {
    await server?.close();
    realClock();
  });

  it('builds a past day’s map once for 100 identical concurrent requests, and serves it immutable', async () => {
    const before = completed(server, 'heavy', Task.renderDay);
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => fetch(`${server.url}/api/public/zones?asOf=${PUBLISHED_ON}`, { headers: { 'accept-encoding': 'gzip' } })),
    );
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect(answers.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0]).features.map((f: any) => f.id)).toEqual([zoneId]);
    expect(answers[0].headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(completed(server, 'heavy', Task.renderDay) - before).toBe(1);
    // Kept: asked again, it is not built again.
    expect((await anon.get(`/api/public/zones?asOf=${PUBLISHED_ON}`)).status).toBe(200);
    expect(completed(server, 'heavy', Task.renderDay) - before).toBe(1);
  });

  it('answers /api/config while past-day builds wait for the worker thread', async () => {
    const busy = occupyHeavyThread(server);
    const order: string[] = [];
    const builds = PAST_DAYS.slice(0, 4).map((day) =>
      anon.get(`/api/public/zones?asOf=${day}`).then((r) => {
        order.push(`build ${r.status}`);
        return r;
      }),
    );
    const config = await anon.get('/api/config');
    order.push('config');
    expect(config.status).toBe(200);
    await busy;
    const answers = await Promise.all(builds);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    // The cheap request did not wait behind the builds.
    expect(order[0]).toBe('config');
  });

  it('builds and compresses OGC pages and tiles on a worker thread', async () => {
    const gzipsBefore = completed(server, 'heavy', Task.gzip);
    const pagesBefore = completed(server, 'heavy', Task.ogcPage);
    const r = await fetch(`${server.url}/ogc/collections/zones/items?limit=5&f=json`, { headers: { 'accept-encoding': 'gzip' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-encoding')).toBe('gzip');
    expect(((await r.json()) as any).features.map((f: any) => f.id)).toEqual([zoneId]);
    // The page and its gzip are one task: no separate compression.
    expect(completed(server, 'heavy', Task.ogcPage) - pagesBefore).toBe(1);
    expect(completed(server, 'heavy', Task.gzip) - gzipsBefore).toBe(0);

    // The tile under the zone at z14: cut and gzipped in one task, from the map the worker holds.
    const [x, y] = [Math.floor(((115.985 + 180) / 360) * 2 ** 14), Math.floor(((1 - Math.asinh(Math.tan((36.455 * Math.PI) / 180)) / Math.PI) / 2) * 2 ** 14)];
    const [cutsBefore, gzipsBeforeTile] = [completed(server, 'tiles', Task.cutTile), completed(server, 'tiles', Task.gzip)];
    const tile = await fetch(`${server.url}/tiles/zones/14/${x}/${y}.mvt`, { headers: { 'accept-encoding': 'gzip' } });
    expect(tile.status).toBe(200);
    expect(tile.headers.get('content-encoding')).toBe('gzip');
    expect(Buffer.from(await tile.arrayBuffer()).length).toBeGreaterThan(0);
    expect(completed(server, 'tiles', Task.cutTile) - cutsBefore).toBe(1);
    expect(completed(server, 'tiles', Task.gzip) - gzipsBeforeTile).toBe(0);
  });

  it('cuts a tile while the heavy thread is busy with a long task: tiles have threads of their own', async () => {
    const order: string[] = [];
    const busy = occupyHeavyThread(server).then(() => order.push('heavy gzip'));
    const map = anon.get(`/api/public/zones?asOf=${PAST_DAYS[5]}`).then((r) => order.push(`map ${r.status}`));
    const [x, y] = [Math.floor(((115.985 + 180) / 360) * 2 ** 15), Math.floor(((1 - Math.asinh(Math.tan((36.455 * Math.PI) / 180)) / Math.PI) / 2) * 2 ** 15)];
    const cutsBefore = completed(server, 'tiles', Task.cutTile);
    const tile = await fetch(`${server.url}/tiles/zones/15/${x}/${y}.mvt`);
    order.push(`tile ${tile.status}`);
    expect(tile.status).toBe(200);
    expect(Buffer.from(await tile.arrayBuffer()).length).toBeGreaterThan(0);
    expect(completed(server, 'tiles', Task.cutTile) - cutsBefore).toBe(1);
    await Promise.all([busy, map]);
    // The tile did not wait for the heavy thread's long gzip nor the past day's map queued behind it.
    expect(order).toEqual(['tile 200', 'heavy gzip', 'map 200']);
  });

  it('builds an uncached OGC page once for 50 identical concurrent requests, under any Host', async () => {
    const before = completed(server, 'heavy', Task.ogcPage);
    const path = '/ogc/collections/zones/items?limit=7&bbox=115.9,36.4,116.1,36.5';
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => fetch(`${server.url}${path}`, { headers: { 'accept-encoding': 'gzip', host: `h${i}.example` } })));
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as any[];
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(new Set(answers.map((r) => r.headers.get('etag'))).size).toBe(1);
    for (const body of bodies) expect(body.features.map((f: any) => f.id)).toEqual([zoneId]);
    expect(completed(server, 'heavy', Task.ogcPage) - before).toBe(1);
    // Kept: asked again, it is not built again, and is answered at once from the cache with the
    // same page and headers as when it was built, gzipped or not, and its 304.
    const again = await fetch(`${server.url}${path}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(bodies[0]);
    for (const name of ['etag', 'content-type', 'content-crs', 'cache-control', 'vary', 'content-encoding', 'content-security-policy']) expect(again.headers.get(name), name).toBe(answers[0].headers.get(name));
    const plain = await fetch(`${server.url}${path}`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.json()).toEqual(bodies[0]);
    expect((await fetch(`${server.url}${path}`, { headers: { 'if-none-match': answers[0].headers.get('etag')! } })).status).toBe(304);
    expect(completed(server, 'heavy', Task.ogcPage) - before).toBe(1);
  });

  it('builds a small OGC page in its own lane: it does not wait behind every page of a thousand asked before it', async () => {
    const order: string[] = [];
    const busy = occupyHeavyThread(server);
    const ask = (name: string, path: string) =>
      fetch(`${server.url}${path}`).then(async (r) => {
        expect(r.status, name).toBe(200);
        await r.arrayBuffer();
        order.push(name);
      });
    // Distinct queries, so none is answered from the page cache; all wait for the busy thread.
    const large = [0, 1, 2].map((i) => ask(`large ${i}`, `/ogc/collections/zones/items?limit=1000&offset=${i}&bbox=115.5,36.0,116.5,37.0`));
    await new Promise((r) => setTimeout(r, 100));
    const small = ask('small', '/ogc/collections/zones/items?limit=10&bbox=115.97,36.44,115.99,36.46');
    await Promise.all([busy, ...large, small]);
    // One large page, then the small one's lane has its turn; all of the same lane, it came last.
    expect(order.indexOf('small')).toBeLessThan(order.indexOf('large 2'));
    expect(order.indexOf('small')).toBeLessThanOrEqual(1);
  });

  it('builds each distinct OGC page on a worker thread: filtered, sorted, in another CRS', async () => {
    const before = completed(server, 'heavy', Task.ogcPage);
    const queries = [
      ...Array.from({ length: 10 }, (_, i) => `limit=1000&bbox=115.75,36.25,116.25,36.65&offset=${i}`),
      `filter=${encodeURIComponent("kind = 'sealed'")}&sortby=-name&properties=name,kind`,
      'crs=http://www.opengis.net/def/crs/EPSG/0/4326&limit=3',
      `datetime=${PUBLISHED_ON}/${LATER}`,
    ];
    const answers = await Promise.all(queries.map((q) => anon.get(`/ogc/collections/zones/items?${q}`)));
    expect(answers.map((r) => r.status)).toEqual(Array(queries.length).fill(200));
    expect(completed(server, 'heavy', Task.ogcPage) - before).toBe(queries.length);
    // What the worker built is the page asked for.
    expect(answers[0].body.numberMatched).toBe(1);
    expect(answers[0].body.features.map((f: any) => f.id)).toEqual([zoneId]);
    expect(answers[1].body.features).toEqual([]);
    expect(answers[10].body.features.map((f: any) => Object.keys(f.properties).sort())).toEqual([['kind', 'name']]);
    const [lon, lat] = answers[0].body.features[0].geometry.coordinates[0][0][0];
    expect(answers[11].body.features[0].geometry.coordinates[0][0][0]).toEqual([lat, lon]);
    expect(answers[12].body.features.map((f: any) => f.id)).toEqual([zoneId]);
    expect(answers[12].body.links.find((l: any) => l.rel === 'self').href).toContain(`datetime=${encodeURIComponent(`${PUBLISHED_ON}/${LATER}`)}`);
  });

  it('reads an OGC page of a past day from the map rendered on a worker thread, shared with the public map', async () => {
    const maps = completed(server, 'heavy', Task.renderDay);
    const pages = completed(server, 'heavy', Task.ogcPage);
    const [before, after] = await Promise.all([anon.get('/ogc/collections/zones/items?datetime=2022-11-09'), anon.get('/ogc/collections/zones/items?datetime=2022-11-18')]);
    expect([before.status, after.status]).toEqual([200, 200]);
    expect(before.body.features).toEqual([]);
    expect(after.body.features.map((f: any) => f.id)).toEqual([zoneId]);
    expect(completed(server, 'heavy', Task.renderDay) - maps).toBe(2);
    expect(completed(server, 'heavy', Task.ogcPage) - pages).toBe(2);
    // The public map of that day is the same build, kept.
    expect((await anon.get('/api/public/zones?asOf=2022-11-18')).body.features.map((f: any) => f.id)).toEqual([zoneId]);
    expect(completed(server, 'heavy', Task.renderDay) - maps).toBe(2);
  });

  it('runs a tile’s gzip queued behind a map build first: short tasks do not wait behind long ones', async () => {
    const heavy = server.ctx.workers.heavy;
    const busy = occupyHeavyThread(server);
    const order: string[] = [];
    // Both wait behind the busy thread; replies come back in the order the thread ran the tasks.
    const map = heavy.run(Task.renderDay, { day: LATER, publication: 0, entriesJson: '[]' } satisfies RenderDayInput).then(() => order.push(Task.renderDay));
    const tile = heavy.run(Task.gzip, { bytes: crypto.randomBytes(1000) }).then(() => order.push(Task.gzip));
    await Promise.all([busy, map, tile]);
    expect(order).toEqual([Task.gzip, Task.renderDay]);
  });

  it('lets a long task run after a run of quick ones: a stream of tiles does not keep a map build waiting for good', async () => {
    const heavy = server.ctx.workers.heavy;
    const busy = occupyHeavyThread(server);
    const order: string[] = [];
    const map = heavy.run(Task.renderDay, { day: LATER, publication: 0, entriesJson: '[]' } satisfies RenderDayInput).then(() => order.push(Task.renderDay));
    const tiles = Array.from({ length: 40 }, () => heavy.run(Task.gzip, { bytes: crypto.randomBytes(100) }).then(() => order.push(Task.gzip)));
    await Promise.all([busy, map, ...tiles]);
    const at = order.indexOf(Task.renderDay);
    // Some quick tasks go first, but not all forty.
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(40);
  });

  it('searches the routes of a truck report without a checkpoint in the routing worker', async () => {
    const coordinator = await loginAs(server.url, 'coord1');
    const before = completed(server, 'routing', 'plan');
    const r = await coordinator.post('/api/trucks', {
      plate: '鲁P·54321', driverName: '赵师傅', driverPhone: '13800000001', originCity: '济南',
      destination: { type: 'Point', coordinates: [115.99, 36.47] }, expectedArrival: '2022-11-21T08:00:00+08:00', checkpointId: null,
    });
    expect(r.status, r.text).toBe(201);
    expect(r.body.truck.checkpointChosenByService).toBe(true);
    expect(r.body.truck.route.geometry.coordinates.length).toBeGreaterThan(1);
    // One task searched from every checkpoint.
    expect(completed(server, 'routing', 'plan') - before).toBe(1);
  });

  it('sends the same security headers on the fast paths as on the rest of the API', async () => {
    const slow = await anon.get('/api/config');
    const tile = `/tiles/zones/14/${Math.floor(((115.985 + 180) / 360) * 2 ** 14)}/${Math.floor(((1 - Math.asinh(Math.tan((36.455 * Math.PI) / 180)) / Math.PI) / 2) * 2 ** 14)}.mvt`;
    const fast = [
      await anon.get('/api/public/zones'),
      await anon.get('/api/public/lookup?lon=115.985&lat=36.455'),
      await anon.get('/ogc/collections/zones/items?limit=2'),
      await anon.get(tile),
      await anon.get(`/api/public/zones?asOf=${PUBLISHED_ON}`),
    ];
    for (const name of SECURITY_HEADERS) {
      expect(slow.headers.get(name), name).not.toBeNull();
      for (const answer of fast) expect(answer.headers.get(name), name).toBe(slow.headers.get(name));
    }
    const lookup = fast[1];
    expect(lookup.status).toBe(200);
    expect(lookup.body.zones.map((z: any) => z.id)).toEqual([zoneId]);
    // Express would have added an ETag to this JSON answer: this one never went through it.
    expect(lookup.headers.get('etag')).toBeNull();
    // Bad input still gets the API's error, with its code.
    const bad = await anon.get('/api/public/lookup?lon=abc&lat=36.4');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('coordinate_malformed');
    const badTile = await anon.get('/tiles/zones/14/99999/1.mvt');
    expect(badTile.status).toBe(400);
    expect(badTile.body.error.code).toBe('tile_coordinate_out_of_range');
    // The tile's own headers, as the Express route sets them.
    expect(fast[3].status).toBe(200);
    expect(fast[3].headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    expect(fast[3].headers.get('vary')).toBe('Accept-Encoding');
    expect(fast[3].headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    const etag = fast[3].headers.get('etag')!;
    expect((await fetch(`${server.url}${tile}`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    // A past day's map: the same answer as the route's (reached here by naming the default view),
    // its bytes, ETag and headers, gzipped or not, and its 304.
    const pastDay = `/api/public/zones?asOf=${PUBLISHED_ON}`;
    for (const encoding of ['gzip', 'identity']) {
      const [viaFast, viaRoute] = await Promise.all([pastDay, `${pastDay}&view=published`].map((path) => fetch(`${server.url}${path}`, { headers: { 'accept-encoding': encoding } })));
      expect(viaFast.status).toBe(200);
      expect(await viaFast.text()).toBe(await viaRoute.text());
      for (const name of ['etag', 'cache-control', 'content-type', 'content-encoding', 'vary', ...SECURITY_HEADERS]) expect(viaFast.headers.get(name), name).toBe(viaRoute.headers.get(name));
    }
    expect(fast[4].headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${server.url}${pastDay}`, { headers: { 'if-none-match': fast[4].headers.get('etag')! } })).status).toBe(304);
    // A day not yet come, or no day at all, still gets the route's error.
    expect((await anon.get('/api/public/zones?asOf=2999-01-01')).body.error.code).toBe('validation_failed');
    expect((await anon.get('/api/public/zones?asOf=2022-02-30')).status).toBe(400);
  });
});

describe.each(backends())('a full work queue on %s', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    fakeClock();
    travelTo(LATER);
    server = await startTestServer(backend, { WORKER_THREADS: '1', WORK_QUEUE_MAX: '1' });
  });
  afterAll(async () => {
    await server?.close();
    realClock();
  });

  it('answers 503 server_busy with Retry-After at once beyond the queue, and nothing breaks', async () => {
    const busy = occupyHeavyThread(server);
    const answers = await Promise.all(PAST_DAYS.map((day) => fetch(`${server.url}/api/public/zones?asOf=${day}`)));
    const refused = answers.filter((r) => r.status === 503);
    expect(answers.every((r) => r.status === 200 || r.status === 503)).toBe(true);
    expect(refused.length).toBeGreaterThanOrEqual(PAST_DAYS.length - 2);
    for (const r of refused) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await r.json()) as any).error.code).toBe('server_busy');
    }
    expect(server.ctx.workers.stats().heavy.refused).toBeGreaterThanOrEqual(refused.length);
    await busy;
    // A refusal is not kept: every day is built once the thread is free again.
    for (const day of PAST_DAYS) {
      const again = await fetch(`${server.url}/api/public/zones?asOf=${day}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(again.status, day).toBe(200);
      // fetch has undone the gzip already.
      expect(((await again.json()) as any).asOf).toBe(day);
    }
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('refuses uncached OGC pages beyond the queue with 503 server_busy, and does not keep the refusal', async () => {
    const busy = occupyHeavyThread(server);
    const paths = Array.from({ length: 6 }, (_, i) => `/ogc/collections/zones/items?limit=${i + 1}`);
    const answers = await Promise.all(paths.map((p) => fetch(`${server.url}${p}`)));
    const refused = answers.filter((r) => r.status === 503);
    expect(answers.every((r) => r.status === 200 || r.status === 503)).toBe(true);
    expect(refused.length).toBeGreaterThanOrEqual(paths.length - 2);
    for (const r of refused) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await r.json()) as any).error.code).toBe('server_busy');
    }
    await busy;
    for (const p of paths) {
      const again = await fetch(`${server.url}${p}`);
      expect(again.status, p).toBe(200);
      expect(((await again.json()) as any).type).toBe('FeatureCollection');
    }
  });
});

describe('the order of waiting tasks', () => {
  it('serves long tasks of different names in turn: a burst of pages does not keep a map waiting behind all of it', async () => {
    const pool = new WorkerPool({ module: fileURLToPath(new URL('../../server/src/workers/tasks.ts', import.meta.url)), threads: 1, maxQueue: 10, name: 'turn-test' });
    try {
      const order: string[] = [];
      const busy = pool.run(Task.gzip, { bytes: crypto.randomBytes(24_000_000), level: 9 });
      const page = (offset: number) => ({
        maps: [], collection: { url: 'http://localhost/ogc/collections/zones', title: 'zones' },
        query: { bbox: null, bboxCrs: CRS84, datetime: null, properties: null, sortby: [], filter: null, filterParams: [], crs: CRS84, limit: 1, offset, format: null },
      });
      const runs = [
        ...[0, 1, 2].map((i) => pool.run(Task.ogcPage, page(i)).then(() => order.push(`page ${i}`))),
        pool.run(Task.renderDay, { day: LATER, publication: 0, entriesJson: '[]' } satisfies RenderDayInput).then(() => order.push('map')),
      ];
      await Promise.all([busy, ...runs]);
      expect(order).toEqual(['page 0', 'map', 'page 1', 'page 2']);
    } finally {
      await pool.close();
    }
  });
});

describe('a task that waited too long', () => {
  it('is refused with 503 server_busy when a thread comes free, and the pool serves the next one', async () => {
    const pool = new WorkerPool({ module: fileURLToPath(new URL('../../server/src/workers/tasks.ts', import.meta.url)), threads: 1, maxQueue: 10, name: 'wait-test', maxWaitMs: 50 });
    try {
      // About a second of level-9 gzip: the task behind it waits far beyond 50 ms.
      const busy = pool.run(Task.gzip, { bytes: crypto.randomBytes(24_000_000), level: 9 });
      const late = pool.run(Task.gzip, { bytes: crypto.randomBytes(100) }).then(
        () => 'ran',
        (err: { code?: string; status?: number }) => `${err.status} ${err.code}`,
      );
      await busy;
      expect(await late).toBe('503 server_busy');
      expect(pool.stats().refused).toBe(1);
      // A task that finds the thread free does not wait, and runs, even when the clock jumps
      // between its queueing and its start (a garbage-collection pause on a loaded machine: each
      // read of the clock below is a second after the last).
      let clock = performance.now();
      const jumpy = vi.spyOn(performance, 'now').mockImplementation(() => (clock += 1000));
      try {
        await expect(pool.run(Task.gzip, { bytes: crypto.randomBytes(100) })).resolves.toHaveProperty('gzip');
      } finally {
        jumpy.mockRestore();
      }
      expect(pool.stats().refused).toBe(1);
    } finally {
      await pool.close();
    }
  });
});
