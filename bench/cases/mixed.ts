/**
 * A bulletin night, all at once (issue 13): for 60 s on the full dataset, residents (the public map
 * revalidated with If-None-Match, "am I in a zone?" at random points, tiles), past-day maps over 30
 * dates, OGC pages under many Host values, coordinators (truck reports without a checkpoint, so
 * every checkpoint is searched, and the truck list), one designator publishing a bulletin every
 * 10 s, and the abuse a hostile probe found: bursts of 100 past-day maps over 4 dates, 50 uncached
 * OGC pages, 50 truck reports, 50 anonymous 2 MB bodies and 300 distinct uncached tiles z9–z20,
 * and OGC pages asked with forwarded headers naming another site.
 *
 * The service runs in its own process and reports, every second, its event loop's longest delay
 * (monitorEventLoopDelay inside the server) and its memory (bench/lib/service-process.ts).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { addDays, todayInShanghai } from '../../contract/dates';
import type { BenchContext } from '../lib/context';
import { BENCH_DESIGNER, openContext, serviceEnv } from '../lib/databases';
import { BENCH_AREA, generateBenchZones } from '../lib/dataset';
import { quantile } from '../lib/http';
import { startNodeProcess } from '../lib/processes';
import { seededRandom } from '../lib/road-network';
import { below, fmt, type CaseResult, type ResultRow } from '../lib/report';
import { randomPoints } from './lookup';

const BENCH_COORDINATOR = { username: 'bench-coordinator', password: 'bench-coordinator-password' };

/** What one class of users measured. */
interface ClassStats {
  latencies: number[];
  statuses: Record<string, number>;
  /** Connection errors and timeouts. */
  errors: number;
}

interface Sent {
  status: number;
  ms: number;
  body: Buffer;
  headers: http.IncomingHttpHeaders;
}

/**
 * One request on a keep-alive agent. The answer is read whole, as a browser would, but its bytes
 * are kept only when `keep` says so (or for an error): the load generator shares the two cores with
 * the service and should not join megabytes of maps it never reads. (Its CPU per second of the mix,
 * in the notes, moved within its run-to-run spread, 0.48–0.62 s, when this was changed.)
 */
function send(agent: http.Agent, base: string, method: string, pathname: string, headers: Record<string, string> = {}, body?: unknown, keep = false): Promise<Sent> {
  const started = performance.now();
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${pathname}`,
      { method, agent, headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) }, timeout: 60_000 },
      (res) => {
        const chunks: Buffer[] = [];
        const kept = keep || (res.statusCode ?? 0) >= 300;
        res.on('data', (c: Buffer) => kept && chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body: Buffer.concat(chunks), headers: res.headers }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Web Mercator tile of a position. */
function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const y = Math.floor(((1 - Math.asinh(Math.tan((lat * Math.PI) / 180)) / Math.PI) / 2) * n);
  return [Math.min(n - 1, x), Math.min(n - 1, y)];
}

export async function mixedCase(ctx: BenchContext): Promise<CaseResult> {
  const { options, log } = ctx;
  const durationS = options.smoke ? 6 : 60;
  const rows: ResultRow[] = [];
  const notes: CaseResult['notes'] = [];

  // A coordinator account on the bench database (the designator is made with the dataset).
  const app = await openContext({ databaseUrl: ctx.databaseUrl });
  try {
    // Made once per dataset: a second run finds it (409 username_taken).
    await app.services.accounts.create(BENCH_COORDINATOR.username, BENCH_COORDINATOR.password, 'coordinator').catch((err: { code?: string }) => {
      if (err.code !== 'username_taken') throw err;
    });
    // Its public map began to load when its listening connection was made: closed mid-load, the
    // database's pool would leave the load's next query to time out (and knex to log it).
    await app.services.public.refresh();
  } finally {
    app.close();
    await app.workers.close();
    await app.db.close();
  }

  /** BENCH_CPU_PROFILE=<file>: where the service writes the profile of its main thread during the mix. */
  const profileFile = process.env.BENCH_CPU_PROFILE ? path.resolve(process.env.BENCH_CPU_PROFILE) : null;
  const metricsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'risk-bench-mixed-')), 'metrics.jsonl');
  const service = await startNodeProcess(
    'service-process.ts',
    // The road graph of a million edges is held by the routing worker: more heap than Node's default.
    {
      ...serviceEnv({ databaseUrl: ctx.databaseUrl }),
      BENCH_METRICS_FILE: metricsFile,
      LOGIN_RATE_LIMIT_PER_15MIN: '1000',
      NODE_OPTIONS: '--max-old-space-size=8192',
      // A CPU profile of the service's main thread over the 60 s (not its start nor the warm-up).
      ...(profileFile ? { BENCH_CPU_PROFILE: profileFile } : {}),
    },
    'mixed service',
  );
  const base = service.url;
  let idle: Awaited<ReturnType<typeof startNodeProcess>> | null = null;
  const agent = () => new http.Agent({ keepAlive: true, maxSockets: 200 });
  try {
    const login = async (who: { username: string; password: string }) => {
      const r = await send(agent(), base, 'POST', '/api/auth/login', {}, who);
      if (r.status !== 200) throw new Error(`login ${who.username}: ${r.status} ${r.body.toString().slice(0, 200)}`);
      return String(r.headers['set-cookie']?.[0]).split(';')[0];
    };
    const designerCookie = await login(BENCH_DESIGNER);
    const coordinatorCookie = await login(BENCH_COORDINATOR);
    const today = todayInShanghai();
    const pastDays = Array.from({ length: 30 }, (_, i) => addDays(today, -1 - i));
    const points = randomPoints(20_000, 9090);
    const random = seededRandom(2026);
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
    const tileJson = JSON.parse((await send(agent(), base, 'GET', '/tiles/zones.json', {}, undefined, true)).body.toString());
    let tileVersion = Number(tileJson.publication);

    const truckBody = (i: number) => {
      const [lon, lat] = points[i % points.length];
      return {
        plate: `鲁P·${String(10000 + (i % 90000))}`, driverName: '基准测试司机', driverPhone: '13800000000', originCity: '济南',
        destination: { type: 'Point', coordinates: [lon, lat] }, expectedArrival: `${addDays(today, 1)}T08:00:00+08:00`, checkpointId: null,
      };
    };

    // The routing worker reads the road network on the first route: done before the clock starts.
    log('  warming up: the road graph into the routing worker, the first map …');
    const warm = await send(agent(), base, 'POST', '/api/trucks', { cookie: coordinatorCookie }, truckBody(0));
    if (warm.status !== 201) throw new Error(`POST /api/trucks (warm-up): ${warm.status} ${warm.body.toString().slice(0, 300)}`);
    await send(agent(), base, 'GET', '/api/public/zones', { 'accept-encoding': 'gzip' });
    // Each kind of request once, outside the points, dates and pages the mix asks for: a bulletin
    // night comes to a service that has answered such requests before, so the mix measures them,
    // not the first compilation of their code (which a CPU profile showed in the mix's first second).
    {
      const a = agent();
      const [lon, lat] = [115.9871, 36.4561];
      await send(a, base, 'GET', `/api/public/lookup?lon=${lon}&lat=${lat}`, { 'accept-encoding': 'gzip' });
      await send(a, base, 'GET', `/api/public/zones?asOf=${addDays(today, -40)}`, { 'accept-encoding': 'gzip' });
      await send(a, base, 'GET', `/ogc/collections/zones/items?limit=10&bbox=${lon - 0.01},${lat - 0.01},${lon + 0.01},${lat + 0.01}`, { 'accept-encoding': 'gzip' });
      const [x, y] = tileOf(lon, lat, 8);
      await send(a, base, 'GET', `/tiles/zones/8/${x}/${y}.mvt`, { 'accept-encoding': 'gzip' });
      await send(a, base, 'GET', '/api/trucks', { cookie: coordinatorCookie, 'accept-encoding': 'gzip' });
      await send(a, base, 'POST', '/api/no-such-path', {}, { warm: true });
      a.destroy();
    }
    // The service writes its event-loop sample of each second when that second's timer gets to
    // run: after a long warm-up block (the roads read and handed to the routing worker) that sample
    // arrives late. A pause lets it land before the clock starts, so it is not counted as the mix's.
    await new Promise((r) => setTimeout(r, 2500));

    const stats = new Map<string, ClassStats>();
    const record = (name: string, r: Sent | null) => {
      let s = stats.get(name);
      if (!s) stats.set(name, (s = { latencies: [], statuses: {}, errors: 0 }));
      if (!r) s.errors++;
      else {
        s.latencies.push(r.ms);
        s.statuses[r.status] = (s.statuses[r.status] ?? 0) + 1;
      }
    };
    // The machine's floor: a Node process with nothing to do, measuring its own event loop.
    const idleMetricsFile = path.join(path.dirname(metricsFile), 'idle.jsonl');
    idle = await startNodeProcess('idle-process.ts', { BENCH_METRICS_FILE: idleMetricsFile }, 'idle process');
    if (profileFile) process.kill(service.pid, 'SIGUSR2');
    const startedAt = Date.now();
    const generatorCpu = process.cpuUsage();
    /** When each burst and bulletin began, beside the service's samples. */
    const marks: { t: number; what: string }[] = [];
    const deadline = performance.now() + durationS * 1000;
    const running = () => performance.now() < deadline;
    /**
     * BENCH_MIX_SKIP=<part of a class's name>[,…]: leaves those classes out, to find which of them a
     * figure comes from (the report names the classes that ran).
     */
    const skipped = (process.env.BENCH_MIX_SKIP ?? '').split(',').filter(Boolean);
    const runs = (name: string) => !skipped.some((part) => name.includes(part));
    /** `connections` users of one class, each sending its next request when the last is answered. */
    const users = (name: string, connections: number, next: (i: number) => () => Promise<Sent>) => {
      if (!runs(name)) return Promise.resolve();
      let n = 0;
      return Promise.all(
        Array.from({ length: connections }, async () => {
          while (running()) {
            const request = next(n++);
            record(name, await request().catch(() => null));
          }
        }),
      );
    };
    /** A burst every `everyS` seconds: `size` requests at once. Every class's first comes at the start. */
    const bursts = (name: string, { everyS, size }: { everyS: number; size: number }, request: (i: number, round: number) => Promise<Sent>) =>
      (async () => {
        if (!runs(name)) return;
        let round = 0;
        while (running()) {
          const t = performance.now();
          marks.push({ t: Date.now(), what: `${name} #${round}` });
          await Promise.all(Array.from({ length: size }, (_, i) => request(i, round).then((r) => record(name, r), () => record(name, null))));
          round++;
          const wait = everyS * 1000 - (performance.now() - t);
          if (wait > 0 && running()) await new Promise((r) => setTimeout(r, Math.min(wait, deadline - performance.now())));
        }
      })();

    // A 2 MB GeoJSON-looking body, made once: the service should refuse it unread.
    const bigBody = Buffer.from(JSON.stringify({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [Array.from({ length: 60_000 }, (_, k) => [116 + k * 1e-6, 36.4])] }, properties: {} }));
    /** OGC answers whose text named a host from the request's headers (abuse case 3): must stay 0. */
    const foreignLinks = { n: 0 };
    const residents = agent();
    const others = agent();
    let etag = '';
    log(`  ${durationS} s of mixed load${skipped.length ? ` (left out: classes named with ${skipped.join(", ")})` : ""} …`);
    const ogcOffsets = { n: 0 };
    const tileSeen = { n: 0 };
    const publishing = (async () => {
      let k = 0;
      while (running()) {
        const t = performance.now();
        const zone = generateBenchZones(1, today, 7000 + k, `混合负载通告样本区${k}`)[0];
        const created = await send(others, base, 'POST', '/api/zones', { cookie: designerCookie }, {
          type: 'Feature', geometry: { type: 'Polygon', coordinates: [zone.ring] }, properties: { kind: zone.kind, name: zone.name, reason: 'synthetic benchmark zone', edition: zone.edition },
        }, true).catch(() => null);
        record('designator: zone + bulletin', created);
        if (created?.status === 201) {
          const id = JSON.parse(created.body.toString()).id;
          marks.push({ t: Date.now(), what: 'bulletin' });
          const bulletin = await send(others, base, 'POST', '/api/bulletins', { cookie: designerCookie }, { zoneIds: [id], title: '关于划定风险区域的通告（基准测试样本 synthetic）' }, true).catch(() => null);
          record('designator: zone + bulletin', bulletin);
          if (bulletin?.status === 201) tileVersion = Number(JSON.parse(bulletin.body.toString()).number) || tileVersion;
        }
        k++;
        const wait = 10_000 - (performance.now() - t);
        if (wait > 0 && running()) await new Promise((r) => setTimeout(r, Math.min(wait, deadline - performance.now())));
      }
    })();

    await Promise.all([
      users('residents: public map (If-None-Match)', 20, () => async () => {
        const r = await send(residents, base, 'GET', '/api/public/zones', { 'accept-encoding': 'gzip', ...(etag ? { 'if-none-match': etag } : {}) });
        if (r.status === 200) etag = String(r.headers.etag);
        return r;
      }),
      users('residents: "am I in a zone"', 20, () => () => {
        const [lon, lat] = pick(points);
        return send(residents, base, 'GET', `/api/public/lookup?lon=${lon}&lat=${lat}`, { 'accept-encoding': 'gzip' });
      }),
      users('residents: tiles z10–z15', 10, () => () => {
        const [lon, lat] = pick(points);
        const z = 10 + Math.floor(random() * 6);
        const [x, y] = tileOf(lon, lat, z);
        return send(residents, base, 'GET', `/tiles/zones/${z}/${x}/${y}.mvt?v=${tileVersion}`, { 'accept-encoding': 'gzip' });
      }),
      users('past-day maps (30 dates)', 5, () => () => send(others, base, 'GET', `/api/public/zones?asOf=${pick(pastDays)}`, { 'accept-encoding': 'gzip' })),
      users('OGC pages (many Host values)', 5, (i) => async () => {
        const [lon, lat] = pick(points);
        const bbox = [lon - 0.02, lat - 0.02, lon + 0.02, lat + 0.02].map((v) => v.toFixed(4)).join(',');
        // Abuse case 3 too: forwarded headers naming another site, which no link may carry.
        const r = await send(others, base, 'GET', `/ogc/collections/zones/items?limit=100&bbox=${bbox}`, {
          host: `h${i % 1000}.example`,
          'x-forwarded-host': `evil${i % 1000}.example`,
          'x-forwarded-proto': 'https',
          'accept-encoding': 'gzip',
        }, undefined, true);
        if (r.status === 200) {
          const text = (r.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(r.body) : r.body).toString();
          if (text.includes('evil') || text.includes('.example')) foreignLinks.n++;
        }
        return r;
      }),
      users('coordinators: truck list', 2, () => () => send(others, base, 'GET', '/api/trucks', { cookie: coordinatorCookie, 'accept-encoding': 'gzip' })),
      users('coordinators: truck report (every checkpoint searched)', 1, (i) => () => send(others, base, 'POST', '/api/trucks', { cookie: coordinatorCookie }, truckBody(i + 1))),
      publishing,
      bursts('abuse: 100 past-day maps at once over 4 dates', { everyS: 10, size: 100 }, (i) => send(others, base, 'GET', `/api/public/zones?asOf=${pastDays[i % 4]}`, { 'accept-encoding': 'gzip' })),
      bursts('abuse: 50 uncached OGC pages at once', { everyS: 10, size: 50 }, () => {
        const [minLon, minLat, maxLon, maxLat] = BENCH_AREA;
        const offset = ogcOffsets.n++;
        return send(others, base, 'GET', `/ogc/collections/zones/items?limit=1000&bbox=${minLon},${minLat},${maxLon},${maxLat}&offset=${offset}`, { 'accept-encoding': 'gzip' });
      }),
      bursts('abuse: 50 truck reports at once', { everyS: 20, size: 50 }, (i, round) => send(others, base, 'POST', '/api/trucks', { cookie: coordinatorCookie }, truckBody(1000 + round * 50 + i))),
      // Abuse case 5: bodies the service must refuse before reading them (no login; no such path).
      bursts('abuse: 50 anonymous 2 MB bodies (POST /api/zones, unknown path)', { everyS: 10, size: 50 }, (i) =>
        send(others, base, 'POST', i % 2 ? '/api/zones' : `/api/no-such-path-${i}`, {}, bigBody),
      ),
      bursts('abuse: 300 distinct uncached tiles z9–z20', { everyS: 10, size: 300 }, () => {
        const [lon, lat] = pick(points);
        const z = 9 + (tileSeen.n++ % 12);
        const [x, y] = tileOf(lon, lat, z);
        return send(others, base, 'GET', `/tiles/zones/${z}/${x}/${y}.mvt`, { 'accept-encoding': 'gzip' });
      }),
    ]);
    const elapsedS = (Date.now() - startedAt) / 1000;
    const { user: generatorUserUs, system: generatorSystemUs } = process.cpuUsage(generatorCpu);
    fs.writeFileSync(path.join(path.dirname(metricsFile), 'marks.jsonl'), marks.map((m) => JSON.stringify(m)).join('\n'));
    // The metrics of the measured window (the service writes one line a second).
    await new Promise((r) => setTimeout(r, 1500));
    const inWindow = <T extends { t: number }>(file: string) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as T)
        .filter((m) => m.t >= startedAt && m.t <= startedAt + elapsedS * 1000 + 1000);
    const metrics = inWindow<{
      t: number;
      loopDelayMaxMs: number;
      gcMaxMs: number;
      rssBytes: number;
      mainThreadCpuMs: number | null;
      mainThreadRunQueueWaitMs: number | null;
      loopUtilization: number;
      pools: Record<'heavy' | 'tiles' | 'routing', { refused: number; completed: Record<string, number> }>;
    }>(metricsFile);
    const idleMetrics = inWindow<{ t: number; loopDelayMaxMs: number }>(idleMetricsFile);
    const loopMax = Math.max(...metrics.map((m) => m.loopDelayMaxMs));
    // Past the first seconds, when every class and burst starts at once and opens its connections.
    const settled = metrics.filter((m) => m.t > startedAt + 3000);
    const settledMax = Math.max(...settled.map((m) => m.loopDelayMaxMs));
    const gcMax = Math.max(...metrics.map((m) => m.gcMaxMs));
    const idleMax = Math.max(...idleMetrics.map((m) => m.loopDelayMaxMs));
    // Seconds in which the service's longest delay was over the goal, and how many of them the idle process shared.
    const overSeconds = metrics.filter((m) => m.loopDelayMaxMs >= 100).map((m) => Math.round(m.t / 1000));
    const idleOver = new Set(idleMetrics.filter((m) => m.loopDelayMaxMs >= 100).map((m) => Math.round(m.t / 1000)));
    const shared = overSeconds.filter((t) => idleOver.has(t) || idleOver.has(t - 1) || idleOver.has(t + 1)).length;
    const peakRss = Math.max(...metrics.map((m) => m.rssBytes));
    // What the main thread did in the seconds over the goal, against a median second: its time on a
    // core, its time waiting for one (Linux schedstat), and how busy its loop was.
    const overMetrics = metrics.filter((m) => m.loopDelayMaxMs >= 100);
    const median = (values: number[]) => quantile([...values].sort((a, b) => a - b), 0.5);
    const hasSched = metrics.every((m) => m.mainThreadRunQueueWaitMs !== null);
    const schedText = hasSched
      ? `In the seconds over 100 ms the service's main thread waited for a core ${overMetrics.map((m) => fmt(m.mainThreadRunQueueWaitMs!, 'ms')).join(', ') || '—'} ` +
        `and ran ${overMetrics.map((m) => fmt(m.mainThreadCpuMs!, 'ms')).join(', ') || '—'} (loop busy ${overMetrics.map((m) => `${Math.round(m.loopUtilization * 100)} %`).join(', ') || '—'}); ` +
        `in the median second it waited ${fmt(median(metrics.map((m) => m.mainThreadRunQueueWaitMs!)), 'ms')} and ran ${fmt(median(metrics.map((m) => m.mainThreadCpuMs!)), 'ms')} ` +
        `(loop busy ${Math.round(median(metrics.map((m) => m.loopUtilization)) * 100)} %). `
      : '';
    // The three longest delays, each with the bursts and bulletins that began in the 2 s before it.
    const worstSeconds = [...metrics]
      .sort((a, b) => b.loopDelayMaxMs - a.loopDelayMaxMs)
      .slice(0, 3)
      .map((m) => {
        const began = [...new Set(marks.filter((k) => k.t > m.t - 2000 && k.t <= m.t).map((k) => k.what.replace(/ #\d+$/, '')))];
        return `${fmt(m.loopDelayMaxMs, 'ms')} in the second ending ${Math.round((m.t - startedAt) / 1000)} s in (${began.length ? `began in the 2 s before: ${began.join('; ')}` : 'no burst or bulletin began in the 2 s before'})`;
      });
    const last = metrics[metrics.length - 1];

    let fiveHundreds = 0;
    let busy = 0;
    for (const [name, s] of stats) {
      const total = Object.values(s.statuses).reduce((a, b) => a + b, 0);
      const bad = Object.entries(s.statuses).filter(([code]) => Number(code) >= 500 && Number(code) !== 503).reduce((a, [, n]) => a + n, 0);
      const refused = s.statuses['503'] ?? 0;
      fiveHundreds += bad;
      busy += refused;
      const sorted = [...s.latencies].sort((a, b) => a - b);
      const p50 = quantile(sorted, 0.5);
      const p99 = quantile(sorted, 0.99);
      const isLookup = name.includes('am I in a zone');
      rows.push({
        case: `mixed load, ${durationS} s — ${name}`,
        project:
          `${fmt(total / elapsedS, 'req/s')} (p50 ${fmt(p50, 'ms')}, p99 ${fmt(p99, 'ms')}); statuses ${Object.entries(s.statuses).map(([c, n]) => `${c}×${n}`).join(', ')}` +
          `${s.errors ? `; ${s.errors} connection errors` : ''}`,
        reference: '—',
        ratio: '—',
        goal: isLookup ? 'p99 < 50 ms under the mix' : 'no 5xx but deliberate 503',
        ...(isLookup
          ? below(p99, 50, 'ms')
          : { met: bad === 0 && s.errors === 0, margin: bad === 0 && s.errors === 0 ? `met: no 5xx${refused ? ` (${refused} deliberate 503 server_busy)` : ''}` : `not met: ${bad} 5xx, ${s.errors} connection errors` }),
        why: isLookup
          ? 'Every class shares the service\'s one event loop and the two cores with PostgreSQL, the worker threads and the load generator (this process); a lookup waits its turn behind the other answers being written.'
          : 'See the statuses: a 5xx other than 503 server_busy is a fault, a connection error a request the service never answered.',
      });
    }
    rows.push({
      case: `mixed load, ${durationS} s — the event loop's longest delay (monitorEventLoopDelay in the service)`,
      project:
        `${fmt(loopMax, 'ms')} (${fmt(settledMax, 'ms')} after the first 3 s, when every class and burst starts at once; longest garbage-collection pause ` +
        `${fmt(gcMax, 'ms')}; ${overSeconds.length} of ${metrics.length} seconds over 100 ms)`,
      reference: `an idle Node process beside it (no work, only its timer): ${fmt(idleMax, 'ms')}; over 100 ms in ${idleOver.size} seconds`,
      ratio: '—',
      goal: '< 100 ms',
      ...below(loopMax, 100, 'ms'),
      why:
        'What still runs on the event loop: reading rows from the database driver (a page of trucks; a past day\'s record comes as one text), applying a publication to the projection, writing each answer, and garbage collection of the main thread. ' +
        'Handlers, large answers, refused bodies and the copy of a new map into shared memory each take a bounded share of a turn (server/src/http.ts, large-answers.ts, workers/shared-maps.ts). ' +
        `The longest delays: ${worstSeconds.join('; ')}. ` +
        schedText +
        `A process with no work at all waits for a core up to ${fmt(idleMax, 'ms')} under the same load: that much of a delay is the machine's, not the service's; ` +
        `${shared} of the service's ${overSeconds.length} seconds over 100 ms were seconds in which the idle process was delayed over 100 ms too.`,
    });
    rows.push({
      case: `mixed load, ${durationS} s — the service's peak memory (RSS, worker threads included)`,
      project: `${fmt(peakRss / 2 ** 20, 'MiB')}`,
      reference: '—',
      ratio: '—',
      goal: '< 4,096 MiB (bounded: caches and queues have limits)',
      ...below(peakRss / 2 ** 20, 4096, 'MiB'),
      why: 'The road graph (about 250 MB for a million edges) lives in the routing worker; caches of maps, pages and tiles are bounded by count and bytes.',
    });
    rows.push({
      case: `mixed load, ${durationS} s — 5xx other than deliberate 503`,
      project: `${fiveHundreds} (and ${busy} deliberate 503 server_busy)`,
      reference: '—',
      ratio: '—',
      goal: 'zero',
      met: fiveHundreds === 0,
      margin: fiveHundreds === 0 ? 'met' : `not met: ${fiveHundreds}`,
      why: 'A 5xx other than 503 is a fault of the service.',
    });
    const ogcAnswered = stats.get('OGC pages (many Host values)')?.statuses['200'] ?? 0;
    rows.push({
      case: `mixed load, ${durationS} s — abuse: OGC answers whose links name a host from the request (Host, X-Forwarded-Host)`,
      project: `${foreignLinks.n} of ${ogcAnswered} pages`,
      reference: '—',
      ratio: '—',
      goal: 'zero',
      met: foreignLinks.n === 0 && ogcAnswered > 0,
      margin: foreignLinks.n === 0 ? (ogcAnswered > 0 ? 'met' : 'not measured: no page answered') : `not met: ${foreignLinks.n}`,
      why: 'Links are built from PUBLIC_URL; a request header never reaches a link or a cache key.',
    });
    if (last) {
      notes.push({
        case: 'mixed load',
        text: `worker pools at the end: heavy ${JSON.stringify(last.pools.heavy.completed)} (refused ${last.pools.heavy.refused}), tiles ${JSON.stringify(last.pools.tiles.completed)} (refused ${last.pools.tiles.refused}), routing ${JSON.stringify(last.pools.routing.completed)} (refused ${last.pools.routing.refused}); ${metrics.length} one-second samples of the event loop; ` +
          `the load generator (this process) took ${fmt((generatorUserUs + generatorSystemUs) / 1e6 / elapsedS, 's')} of CPU per second of the mix, of the machine's ${os.cpus().length}.`,
      });
    }
  } finally {
    await idle?.stop();
    await service.stop();
  }
  if (profileFile) log(`  CPU profile of the service's main thread during the mix: ${profileFile}`);
  return { rows, notes };
}
