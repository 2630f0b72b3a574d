/**
 * Publishing a bulletin of 50 zones, until the public map of every server process shows them:
 * two service processes on the same database; the bulletin is published through one, and both
 * are polled (GET /api/public/zones with If-None-Match) until each returns the new zones.
 */
import zlib from 'node:zlib';
import { addDays, todayInShanghai } from '../../contract/dates';
import type { BenchContext } from '../lib/context';
import { BENCH_DESIGNER, serviceEnv } from '../lib/databases';
import { generateBenchZones } from '../lib/dataset';
import { rawGet } from '../lib/http';
import { startNodeProcess, type StartedProcess } from '../lib/processes';
import { below, fmt, type CaseResult, type ResultRow } from '../lib/report';

async function post(url: string, body: unknown, cookie = ''): Promise<{ status: number; json: any; cookie: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, cookie: res.headers.get('set-cookie')?.split(';')[0] ?? cookie };
}

/**
 * Polls one process's public map until it serves the publication numbered by `published()` (null
 * until the bulletin's answer arrives); returns when (ms since `t0`) the first map that includes it
 * arrived. Each answer's time is taken as it arrives and checked afterwards, so that parsing
 * megabytes of GeoJSON here does not count against the service.
 */
async function currentAt(
  service: StartedProcess,
  etag: string,
  ids: string[],
  t0: number,
  published: () => number | null,
): Promise<{ ms: number; polls: number; check: () => void }> {
  let polls = 0;
  let known = etag;
  const seen: { ms: number; publication: number; body: Buffer }[] = [];
  const publicationOf = (tag: string) => Number(/^"r(\d+)-/.exec(tag)?.[1] ?? -1);
  for (;;) {
    polls++;
    const res = await rawGet(`${service.url}/api/public/zones`, { 'accept-encoding': 'gzip', 'if-none-match': known });
    const ms = performance.now() - t0;
    if (res.status === 200) {
      known = String(res.headers.etag);
      seen.push({ ms, publication: publicationOf(known), body: res.body });
    } else if (res.status !== 304) {
      throw new Error(`GET /api/public/zones answered ${res.status}`);
    }
    const number = published();
    if (number === 0) return { ms: NaN, polls, check: () => undefined }; // the bulletin was refused: its answer says why
    const first = number === null ? undefined : seen.find((s) => s.publication >= number);
    if (first) return { ms: first.ms, polls, check: () => lacking(first.body, ids, first.publication) };
    if (performance.now() - t0 > 120_000) throw new Error('the new zones did not appear within 120 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Throws unless the gzipped map holds every id (run after the timing: parsing takes a while). */
function lacking(body: Buffer, ids: string[], publication: number): void {
  const features = JSON.parse(zlib.gunzipSync(body).toString()).features as { id: string }[];
  const shown = new Set(features.map((f) => f.id));
  const missing = ids.filter((id) => !shown.has(id));
  if (missing.length) throw new Error(`the map of publication ${publication} lacks ${missing.length} of the bulletin's zones`);
}

/** The average of a ring's vertices: inside the small convex rings the dataset draws. */
function ringCentre(ring: number[][]): [number, number] {
  const open = ring.slice(0, -1);
  return [open.reduce((a, p) => a + p[0], 0) / open.length, open.reduce((a, p) => a + p[1], 0) / open.length];
}

/** Polls one process's "am I in a zone?" at the case's place until the zone shows the case's date. */
async function showsCaseAt(service: StartedProcess, zoneId: string, lon: number, lat: number, day: string, t0: number): Promise<{ ms: number; polls: number }> {
  let polls = 0;
  for (;;) {
    polls++;
    const res = await fetch(`${service.url}/api/public/lookup?lon=${lon}&lat=${lat}`);
    const body = (await res.json()) as { zones?: { id: string; lastCaseOn: string | null }[] };
    if (body.zones?.some((z) => z.id === zoneId && z.lastCaseOn === day)) return { ms: performance.now() - t0, polls };
    if (performance.now() - t0 > 60_000) throw new Error('the case did not show within 60 s');
    await new Promise((r) => setTimeout(r, 2));
  }
}

export async function publishCase(ctx: BenchContext): Promise<CaseResult> {
  const { log, options } = ctx;
  const rows: ResultRow[] = [];
  const notes: CaseResult['notes'] = [];
  const env = serviceEnv({ databaseUrl: ctx.databaseUrl });
  log('  starting two service processes on the same database …');
  const [a, b] = await Promise.all([startNodeProcess('service-process.ts', env, 'service A'), startNodeProcess('service-process.ts', env, 'service B')]);
  try {
    const etags = await Promise.all([a, b].map(async (s) => String((await rawGet(`${s.url}/api/public/zones`, { 'accept-encoding': 'gzip' })).headers.etag)));
    // Reading a past day back from the record (built once, then kept).
    const rebuildStarted = performance.now();
    const yesterday = await rawGet(`${b.url}/api/public/zones?asOf=${addDays(todayInShanghai(), -1)}`, { 'accept-encoding': 'gzip' });
    const rebuildMs = performance.now() - rebuildStarted;
    if (yesterday.status !== 200) throw new Error(`GET /api/public/zones?asOf=: ${yesterday.status}`);
    const login = await post(`${a.url}/api/auth/login`, BENCH_DESIGNER);
    if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.json)}`);
    // A service that has been running has published before: one small bulletin and one case in its
    // zone first, untimed, so that the timed ones do not pay for code run the first time.
    const [warmZone] = generateBenchZones(1, todayInShanghai(), 4040, '基准测试预热样本区');
    const warm = await post(`${a.url}/api/zones`, {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [warmZone.ring] },
      properties: { kind: warmZone.kind, name: warmZone.name, reason: 'synthetic benchmark zone', edition: warmZone.edition },
    }, login.cookie);
    const warmed = await post(`${a.url}/api/bulletins`, { zoneIds: [warm.json.id], title: '预热通告（基准测试样本 synthetic）' }, login.cookie);
    if (warmed.status !== 201) throw new Error(`the warm-up bulletin: ${warmed.status} ${JSON.stringify(warmed.json)}`);
    const [warmLon, warmLat] = ringCentre(warmZone.ring);
    const warmCase = await post(`${a.url}/api/cases`, { location: { type: 'Point', coordinates: [warmLon, warmLat] }, reportedOn: todayInShanghai(), note: 'synthetic benchmark case (warm-up)' }, login.cookie);
    if (warmCase.status !== 201) throw new Error(`the warm-up case: ${warmCase.status} ${JSON.stringify(warmCase.json)}`);
    // … and answered lookups (the first loads the counties, hospitals and hotlines it answers with).
    await Promise.all([a, b].map((s) => fetch(`${s.url}/api/public/lookup?lon=${warmLon}&lat=${warmLat}`).then((r) => r.text())));
    const warmNumber = Math.max(Number(warmed.json.number), ...((warmCase.json.publications ?? []) as { number: number }[]).map((p) => p.number));
    for (const [i, s] of [a, b].entries()) {
      // Both processes serve the warm-up's map before the timed bulletin starts.
      for (;;) {
        const res = await rawGet(`${s.url}/api/public/zones`, { 'accept-encoding': 'gzip' });
        etags[i] = String(res.headers.etag);
        if (etags[i].startsWith(`"r${warmNumber}-`)) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    const zones = generateBenchZones(options.sizes.bulletinZones, todayInShanghai(), 5050, '基准测试通告样本区');
    const ids: string[] = [];
    for (const zone of zones) {
      const created = await post(`${a.url}/api/zones`, {
        type: 'Feature',
        geometry: { type: 'Polygon', coordinates: [zone.ring] },
        properties: { kind: zone.kind, name: zone.name, reason: 'synthetic benchmark zone', edition: zone.edition },
      }, login.cookie);
      if (created.status !== 201) throw new Error(`POST /api/zones: ${created.status} ${JSON.stringify(created.json)}`);
      ids.push(created.json.id);
    }
    log(`  publishing a bulletin of ${ids.length} zones through A, polling A and B …`);
    const t0 = performance.now();
    let bulletinNumber: number | null = null;
    const published = post(`${a.url}/api/bulletins`, { zoneIds: ids, title: '关于划定风险区域的通告（基准测试样本 synthetic）' }, login.cookie).then((r) => {
      bulletinNumber = r.status === 201 ? Number(r.json.number) : 0;
      return { ...r, ms: performance.now() - t0 };
    });
    const [onA, onB, response] = await Promise.all([currentAt(a, etags[0], ids, t0, () => bulletinNumber), currentAt(b, etags[1], ids, t0, () => bulletinNumber), published]);
    if (response.status !== 201) throw new Error(`POST /api/bulletins: ${response.status} ${JSON.stringify(response.json)}`);
    onA.check();
    onB.check();
    const both = Math.max(onA.ms, onB.ms);
    rows.push({
      case: `publishing a bulletin of ${ids.length} zones until both server processes show them`,
      project: `${fmt(both, 'ms')} (A ${fmt(onA.ms, 'ms')}, B ${fmt(onB.ms, 'ms')})`,
      reference: '—',
      ratio: '—',
      goal: '< 200 ms',
      ...below(both, 200, 'ms'),
      why: 'The bulletin\'s transaction is about twenty statements whatever its size (drafts, links and history each one statement), ' +
        'about 180 ms here with the record\'s reconciliation; each process then applies only the 50 new entries and recompresses only the ' +
        'chunks of the map they fall in (server/src/publications/map-gzip.ts). What remains beyond the goal is that transaction on two ' +
        'shared cores (load average above) and B\'s catch-up after the NOTIFY.',
    });
    notes.push({
      case: 'publishing',
      text: `POST /api/bulletins answered after ${fmt(response.ms, 'ms')}. Each process learns of the publication (B through PostgreSQL LISTEN/NOTIFY) and ` +
        `applies it to its projection; a past day's map read back from the record took ${fmt(rebuildMs, 'ms')}. ${onA.polls + onB.polls} polls.`,
    });

    // One case inside a published zone: how long until both processes show the zone's new dates.
    // The zone must not show a case of today already (the warm-up case may lie in one of these
    // zones): its lastCaseOn turning to today is what is timed.
    const today = todayInShanghai();
    let targetIndex = -1;
    for (const [i, zone] of zones.entries()) {
      const [x, y] = ringCentre(zone.ring);
      const before = (await (await fetch(`${a.url}/api/public/lookup?lon=${x}&lat=${y}`)).json()) as { zones?: { id: string; lastCaseOn: string | null }[] };
      if (before.zones?.some((z) => z.id === ids[i]) && before.zones.every((z) => z.lastCaseOn !== today)) {
        targetIndex = i;
        break;
      }
    }
    if (targetIndex < 0) throw new Error('every zone of the bulletin shows a case of today already');
    const [lon, lat] = ringCentre(zones[targetIndex].ring);
    const t1 = performance.now();
    const recorded = post(`${a.url}/api/cases`, { location: { type: 'Point', coordinates: [lon, lat] }, reportedOn: today, note: 'synthetic benchmark case' }, login.cookie).then((r) => ({ ...r, ms: performance.now() - t1 }));
    const [caseA, caseB, caseResponse] = await Promise.all([
      showsCaseAt(a, ids[targetIndex], lon, lat, today, t1),
      showsCaseAt(b, ids[targetIndex], lon, lat, today, t1),
      recorded,
    ]);
    if (caseResponse.status !== 201) throw new Error(`POST /api/cases: ${caseResponse.status} ${JSON.stringify(caseResponse.json)}`);
    const caseBoth = Math.max(caseA.ms, caseB.ms);
    rows.push({
      case: 'one case inside a zone until both server processes show its new dates (lastCaseOn, nextChangeOn)',
      project: `${fmt(caseBoth, 'ms')} (A ${fmt(caseA.ms, 'ms')}, B ${fmt(caseB.ms, 'ms')})`,
      reference: '—',
      ratio: '—',
      goal: '< 100 ms',
      ...below(caseBoth, 100, 'ms'),
      why: 'The case, the evaluation of the zones it lies in (once, shared by its history entry and the run) and the publication of ' +
        'their new dates are one transaction of about 22 statements (about 25 ms of SQL on this dataset); answered over HTTP by one process ' +
        'on an idle machine it takes 40–50 ms end to end. In this case two processes, the polling client and PostgreSQL share two cores; ' +
        'where the rest of the time goes under that load has not been profiled.',
    });
    notes.push({ case: 'publishing', text: `POST /api/cases answered after ${fmt(caseResponse.ms, 'ms')}; ${caseA.polls + caseB.polls} lookups polled.` });
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
  return { rows, notes };
}
