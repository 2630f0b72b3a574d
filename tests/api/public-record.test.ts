/**
 * The public record over HTTP, with the service's clock moved day by day (tests/helpers/clock.ts):
 * what residents see follows every case and screening at once; every lift, step-down and
 * reopening is a numbered notice with the date it takes effect; and the map of a day already
 * published stays byte for byte what it was, whatever is done afterwards.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';
import { fakeClock, realClock, travelTo } from '../helpers/clock';

const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});
const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });

describe.each(backends())('the public record on %s', (backend) => {
  let server: TestServer | null = null;
  beforeAll(() => fakeClock());
  afterAll(() => realClock());
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  /** A fresh service (its own database: the record's days only move forward) and its users. */
  const start = async () => {
    server = await startTestServer(backend, { LOGIN_RATE_LIMIT_PER_15MIN: '1000' });
    const s = server;
    const anon = new Client(s.url);
    let designer: Client;
    let admin: Client;
    const login = async () => {
      // Sessions run on the clock too: a new login after each move keeps them valid.
      designer = await loginAs(s.url, 'designer1');
      admin = await loginAs(s.url, 'admin');
    };
    await login();
    const api = {
      anon,
      get designer() {
        return designer;
      },
      /** Moves to `day` and runs what 00:00 Asia/Shanghai runs. */
      async nextDay(day: string, time = '00:00') {
        travelTo(day, time);
        await login();
        const run = await admin.post('/api/admin/expiry/run');
        expect(run.status, run.text).toBe(200);
        return run.body;
      },
      async travel(day: string, time?: string) {
        travelTo(day, time);
        await login();
      },
      async zone(props: Record<string, unknown>, geometry: unknown) {
        const r = await designer.post('/api/zones', { type: 'Feature', geometry, properties: props });
        expect(r.status, r.text).toBe(201);
        return r.body.id as string;
      },
      async publish(zoneIds: string[], title = '关于划定风险区域的通告', extra: Record<string, unknown> = {}) {
        const r = await designer.post('/api/bulletins', { zoneIds, title, ...extra });
        expect(r.status, r.text).toBe(201);
        return r.body;
      },
      async caseAt(location: unknown, reportedOn?: string) {
        const r = await designer.post('/api/cases', { location, ...(reportedOn ? { reportedOn } : {}) });
        expect(r.status, r.text).toBe(201);
        return r.body;
      },
      /** The public map of a day, as bytes and parsed. */
      async map(asOf?: string) {
        const r = await anon.get(`/api/public/zones${asOf ? `?asOf=${asOf}` : ''}`);
        expect(r.status, r.text).toBe(200);
        return { text: r.text, body: r.body, headers: r.headers };
      },
      async feature(id: string, asOf?: string) {
        return (await api.map(asOf)).body.features.find((f: any) => f.id === id) ?? null;
      },
      async publications() {
        const r = await anon.get('/api/public/publications');
        expect(r.status).toBe(200);
        return r.body as { number: number; kind: string; title: string; publishedOn: string }[];
      },
      async publication(number: number) {
        const r = await anon.get(`/api/public/publications/${number}`);
        expect(r.status, r.text).toBe(200);
        return r.body;
      },
    };
    return api;
  };

  it('serves the bulletin list and the feeds current the moment a bulletin answers: every read revalidated, 304 until the record grows', async () => {
    travelTo('2022-11-10');
    const t = await start();
    await t.publish([await t.zone({ kind: 'sealed', name: '列表测试高风险区' }, square(116.1, 36.6, 0.004))]);
    const paths = ['/api/public/bulletins', '/api/public/publications', '/feed.atom', '/cap/feed.atom'];
    const etags: string[] = [];
    for (const path of paths) {
      const first = await fetch(`${server!.url}${path}`);
      expect(first.status, path).toBe(200);
      expect(first.headers.get('cache-control'), path).toBe('public, max-age=0, must-revalidate');
      etags.push(first.headers.get('etag')!);
      expect((await fetch(`${server!.url}${path}`, { headers: { 'if-none-match': etags.at(-1)! } })).status, path).toBe(304);
    }
    await t.publish([await t.zone({ kind: 'controlled', name: '列表测试中风险区' }, square(116.2, 36.6, 0.004))], '关于划定列表测试中风险区的通告');
    for (const [i, path] of paths.entries()) {
      const again = await fetch(`${server!.url}${path}`, { headers: { 'if-none-match': etags[i]! } });
      expect(again.status, path).toBe(200);
      expect(await again.text(), path).toContain('列表测试中风险区');
    }
  });

  it('replays the worked example of DOMAIN.md (twenty-measures): a case shows at once, the lift is a notice effective 11-18', async () => {
    travelTo('2022-11-10');
    const t = await start();
    const z = await t.zone({ kind: 'sealed', name: '示例高风险区', edition: 'twenty-measures' }, square(116.1, 36.6, 0.004));
    const bulletin = await t.publish([z]);
    expect(bulletin.publications.map((p: any) => p.kind)).toEqual(['bulletin']);
    expect((await t.feature(z))!.properties).toMatchObject({ kind: 'sealed', caseFreeDays: 0, nextChangeOn: '2022-11-16', publication: bulletin.number });

    await t.travel('2022-11-12');
    const c = await t.caseAt(point(116.102, 36.602));
    expect(c.publications.map((p: any) => p.kind)).toEqual(['update']);
    // Every public view has the new dates before the next request.
    expect((await t.feature(z))!.properties).toMatchObject({ lastCaseOn: '2022-11-12', caseFreeDays: 0, nextChangeOn: '2022-11-18', nextKind: null });
    const lookup = await t.anon.get('/api/public/lookup?lon=116.102&lat=36.602');
    expect(lookup.body.zones.find((x: any) => x.id === z)).toMatchObject({ lastCaseOn: '2022-11-12', nextChangeOn: '2022-11-18' });
    const ogc = await t.anon.get(`/ogc/collections/zones/items/${z}?f=json`);
    expect(ogc.status, ogc.text).toBe(200);
    expect(ogc.body.properties).toMatchObject({ lastCaseOn: '2022-11-12', nextChangeOn: '2022-11-18' });
    const before = { '2022-11-10': (await t.map('2022-11-10')).text, '2022-11-11': (await t.map('2022-11-11')).text };

    for (const day of ['2022-11-13', '2022-11-14', '2022-11-15', '2022-11-16', '2022-11-17']) await t.nextDay(day);
    expect((await t.feature(z))!.properties).toMatchObject({ caseFreeDays: 5, nextChangeOn: '2022-11-18' });
    const run = await t.nextDay('2022-11-18');
    expect(run.published.map((p: any) => p.kind)).toEqual(['rule_transition']);
    expect(await t.feature(z)).toBeNull();

    const notice = await t.publication(run.published[0].number);
    expect(notice).toMatchObject({ kind: 'rule_transition', author: 'expiry', publishedOn: '2022-11-18' });
    expect(notice.zones).toEqual([expect.objectContaining({ id: z, inForce: false, change: 'lifted', effectiveOn: '2022-11-18' })]);
    expect(notice.text).toContain('2022年11月18日');
    expect(notice.text).toContain('高风险区');
    expect((await t.publications()).map((p) => p.kind)).toEqual(['rule_transition', 'update', 'bulletin']);

    // 11-17 as the public saw it: still in force, 5 case-free days, lifting on 11-18.
    const on17 = await t.map('2022-11-17');
    expect(on17.headers.get('cache-control')).toContain('immutable');
    expect(on17.body.features.find((f: any) => f.id === z).properties).toMatchObject({ caseFreeDays: 5, nextChangeOn: '2022-11-18' });
    for (const [day, text] of Object.entries(before)) expect((await t.map(day)).text, day).toBe(text);
  });

  it('reopens a lifted zone on a late case report with a numbered notice, and leaves the published days as they were', async () => {
    travelTo('2022-11-10');
    const t = await start();
    const z = await t.zone({ kind: 'sealed', name: '补报病例小区', edition: 'twenty-measures' }, square(116.0, 36.5, 0.004));
    await t.publish([z]);
    for (const day of ['2022-11-11', '2022-11-12', '2022-11-13', '2022-11-14', '2022-11-15']) await t.nextDay(day);
    const lifted = await t.nextDay('2022-11-16');
    expect(lifted.published.map((p: any) => p.kind)).toEqual(['rule_transition']);
    await t.nextDay('2022-11-17');
    const days = ['2022-11-12', '2022-11-15', '2022-11-16'];
    const published = Object.fromEntries(await Promise.all(days.map(async (d) => [d, (await t.map(d)).text] as const)));

    // A case found on 11-14 is reported only on 11-17: the count restarts from 11-14 and ends on 11-19.
    const c = await t.caseAt(point(116.001, 36.501), '2022-11-14');
    expect(c.publications.map((p: any) => p.kind)).toEqual(['reopening']);
    const reopening = await t.publication(c.publications[0].number);
    expect(reopening.zones).toEqual([expect.objectContaining({ id: z, inForce: true, change: 'reopened', effectiveOn: '2022-11-17' })]);
    expect((await t.feature(z))!.properties).toMatchObject({ kind: 'sealed', lastCaseOn: '2022-11-14', nextChangeOn: '2022-11-20' });
    for (const d of days) expect((await t.map(d)).text, d).toBe(published[d]);

    // The day as now known says how it differs from what was published, and why.
    const corrected = await t.anon.get('/api/public/zones?asOf=2022-11-16&view=corrected');
    expect(corrected.status, corrected.text).toBe(200);
    expect(corrected.body.view).toBe('corrected');
    expect(corrected.body.features.map((f: any) => f.id)).toContain(z);
    expect(corrected.body.differences).toEqual([expect.objectContaining({ zoneId: z, published: null, why: ['late_case_report'] })]);
  });

  it('never back-dates: a new zone with an old designation date, a kind change, a new designation date and a redraw all start the day they are published', async () => {
    travelTo('2022-04-01');
    const t = await start();
    const a = await t.zone({ kind: 'controlled', name: '甲小区' }, square(115.9, 36.4, 0.01));
    await t.publish([a]);
    await t.caseAt(point(115.905, 36.405));
    for (const day of ['2022-04-02', '2022-04-03', '2022-04-04', '2022-04-05']) await t.nextDay(day);
    const days = ['2022-04-01', '2022-04-02', '2022-04-03', '2022-04-04'];
    const published = Object.fromEntries(await Promise.all(days.map(async (d) => [d, (await t.map(d)).text] as const)));
    const unchanged = async () => {
      for (const d of days) expect((await t.map(d)).text, d).toBe(published[d]);
    };

    // A zone designated on 04-02 but published on 04-05 is on the map from 04-05 only.
    const b = await t.zone({ kind: 'sealed', name: '乙楼', designatedOn: '2022-04-02' }, square(115.906, 36.406, 0.002));
    const bulletin = await t.publish([b]);
    // Its count runs from its designation date: 04-03, 04-04 and 04-05 are case-free.
    expect((await t.feature(b))!.properties).toMatchObject({ designatedOn: '2022-04-02', caseFreeDays: 3, publication: bulletin.number });
    await unchanged();

    // The kind of a published zone changed and published again.
    expect((await t.designer.patch(`/api/zones/${a}`, { properties: { kind: 'sealed' } }, { 'if-match': String((await t.designer.get(`/api/zones/${a}`)).body.properties.version) })).status).toBe(200);
    await t.publish([a], '关于调整风险区域的通告');
    expect((await t.feature(a))!.properties.kind).toBe('sealed');
    await unchanged();

    // A new designation date.
    const version = (await t.designer.get(`/api/zones/${a}`)).body.properties.version;
    expect((await t.designer.patch(`/api/zones/${a}`, { properties: { designatedOn: '2022-03-30' } }, { 'if-match': String(version) })).status).toBe(200);
    await t.publish([a], '关于调整风险区域的通告');
    await unchanged();

    // A lift by hand from an earlier day is refused, and nothing is published.
    const count = (await t.publications()).length;
    const past = await t.designer.post(`/api/zones/${a}/lift`, { reason: '补记解除', on: '2022-04-03' });
    expect(past.status).toBe(400);
    expect(past.body.error.code).toBe('lift_date_past');
    expect((await t.publications()).length).toBe(count);
    expect(await t.feature(a)).not.toBeNull();

    // Lifted by hand today: a numbered notice effective today, earlier days untouched.
    const lift = await t.designer.post(`/api/zones/${a}/lift`, { reason: '经研判提前解除' });
    expect(lift.status, lift.text).toBe(200);
    expect(lift.body.publications.map((p: any) => p.kind)).toEqual(['hand_lift']);
    const notice = await t.publication(lift.body.publications[0].number);
    expect(notice.zones).toEqual([expect.objectContaining({ id: a, change: 'lifted', effectiveOn: '2022-04-05' })]);
    expect(notice.text).toContain('经研判提前解除');
    expect(await t.feature(a)).toBeNull();
    await unchanged();
  });

  it('refuses a bulletin that would publish a zone its own rule already lifts (a redraw that leaves its case outside)', async () => {
    travelTo('2022-11-01');
    const t = await start();
    const z = await t.zone({ kind: 'sealed', name: '重划小区', edition: 'twenty-measures' }, square(116.2, 36.7, 0.01));
    await t.publish([z]);
    await t.travel('2022-11-03');
    await t.caseAt(point(116.208, 36.708));
    for (const day of ['2022-11-04', '2022-11-05', '2022-11-06', '2022-11-07']) await t.nextDay(day);
    const before = (await t.map('2022-11-06')).text;
    const count = (await t.publications()).length;
    const version = (await t.designer.get(`/api/zones/${z}`)).body.properties.version;
    // Redrawn to a corner that leaves the case outside: counted from 11-01, its 5 days are over.
    expect((await t.designer.patch(`/api/zones/${z}`, { geometry: square(116.2, 36.7, 0.004) }, { 'if-match': String(version) })).status).toBe(200);
    const r = await t.designer.post('/api/bulletins', { zoneIds: [z], title: '关于调整风险区域的通告' });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'zone_rule_already_met', details: { zones: [expect.objectContaining({ zoneId: z })] } });
    expect((await t.publications()).length).toBe(count);
    expect((await t.feature(z))!.properties.lastCaseOn).toBe('2022-11-03');
    expect((await t.map('2022-11-06')).text).toBe(before);
  });

  it('waits for a negative screening round under protocol-8, shows its effect at once, and lifts the next day with a notice', async () => {
    travelTo('2022-04-01');
    const t = await start();
    const z = await t.zone({ kind: 'sealed', name: '待筛查封控区' }, square(115.8, 36.5, 0.004));
    await t.publish([z]);
    for (let d = 2; d <= 15; d++) await t.nextDay(`2022-04-${String(d).padStart(2, '0')}`);
    // 14 case-free days are complete at the end of 04-15; the round is still missing.
    expect((await t.feature(z))!.properties).toMatchObject({ caseFreeDays: 14, waitingFor: 'screening' });
    await t.travel('2022-04-15', '15:00');
    const s = await t.designer.post(`/api/zones/${z}/screenings`, { on: '2022-04-15', negative: true });
    expect(s.status, s.text).toBe(201);
    expect((await t.feature(z))!.properties).toMatchObject({ waitingFor: null, nextChangeOn: '2022-04-16', liftsNext: true });
    const run = await t.nextDay('2022-04-16');
    expect(run.published.map((p: any) => p.kind)).toEqual(['rule_transition']);
    const notice = await t.publication(run.published[0].number);
    expect(notice.zones).toEqual([expect.objectContaining({ id: z, change: 'lifted', effectiveOn: '2022-04-16' })]);
    expect(notice.text).toContain('封控区');
    expect(await t.feature(z)).toBeNull();
    expect((await t.feature(z, '2022-04-15'))!.properties.nextChangeOn).toBe('2022-04-16');
  });

  it('steps a shanghai-2022 zone down twice with one notice each, and records each transition once when two runs start together', async () => {
    travelTo('2022-05-22');
    const t = await start();
    const z = await t.zone({ kind: 'sealed', name: '上海规则封控区', edition: 'shanghai-2022' }, square(116.25, 36.75, 0.004));
    await t.publish([z]);
    // Case-free 05-23 … 05-29: controlled from 00:00 on 05-30; 3 more days: precaution from 06-02.
    for (let d = 23; d <= 29; d++) await t.nextDay(`2022-05-${d}`);
    const [a, b] = await Promise.all([t.nextDay('2022-05-30'), t.nextDay('2022-05-30')]);
    expect([...a.published, ...b.published].map((p: any) => p.kind)).toEqual(['rule_transition']);
    expect((await t.feature(z))!.properties).toMatchObject({ kind: 'controlled', nextKind: 'precaution', nextChangeOn: '2022-06-02' });
    await t.nextDay('2022-05-31');
    await t.nextDay('2022-06-01');
    const second = await t.nextDay('2022-06-02');
    expect(second.published.map((p: any) => p.kind)).toEqual(['rule_transition']);
    expect((await t.feature(z))!.properties.kind).toBe('precaution');
    const history = (await t.designer.get(`/api/zones/${z}/history`)).body.entries.filter((e: any) => e.action === 'rule_transition');
    expect(history.map((e: any) => [e.toKind, e.effectiveOn])).toEqual([
      ['controlled', '2022-05-30'],
      ['precaution', '2022-06-02'],
    ]);
    expect((await t.feature(z, '2022-05-29'))!.properties.kind).toBe('sealed');
    expect((await t.feature(z, '2022-05-31'))!.properties.kind).toBe('controlled');
  });

  it('corrects a publication with a new one that names it, and refuses to edit or delete the record', async () => {
    travelTo('2022-04-01');
    const t = await start();
    const z = await t.zone({ kind: 'controlled', name: '更正前名称' }, square(115.7, 36.3, 0.01));
    const first = await t.publish([z]);
    const version = (await t.designer.get(`/api/zones/${z}`)).body.properties.version;
    expect((await t.designer.patch(`/api/zones/${z}`, { properties: { name: '更正后名称' } }, { 'if-match': String(version) })).status).toBe(200);
    const unknown = await t.designer.post('/api/bulletins', { zoneIds: [z], title: '更正通告', corrects: 999 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('corrected_publication_unknown');
    const correction = await t.publish([z], '关于更正风险区域名称的通告', { corrects: first.number });
    expect(correction.publications.map((p: any) => p.kind)).toEqual(['correction']);
    const read = await t.publication(correction.number);
    expect(read).toMatchObject({ kind: 'correction', corrects: first.number });
    expect(read.text).toContain(`第${first.number}号`);
    expect((await t.feature(z))!.properties.name).toBe('更正后名称');
    // The corrected publication still reads as it was published.
    expect((await t.publication(first.number)).zones[0].name).toBe('更正前名称');

    const knex = server!.db.knex;
    await expect(knex('publications').where({ number: first.number }).update({ title: '改写' })).rejects.toThrow(/append-only/);
    await expect(knex('publication_zones').where({ publication: first.number }).delete()).rejects.toThrow(/append-only/);
    await expect(knex.raw('TRUNCATE publication_zones, publications')).rejects.toThrow(/append-only|referenced in a foreign key/);
    await expect(knex.raw('TRUNCATE publication_zones')).rejects.toThrow(/append-only/);
    expect((await t.publication(first.number)).title).toBe('关于划定风险区域的通告');
  });

  it('turns a controlled zone back to sealed on a new case under shanghai-2022, as a notice', async () => {
    travelTo('2022-06-01');
    const t = await start();
    const z = await t.zone({ kind: 'controlled', name: '上海规则管控区', edition: 'shanghai-2022' }, square(115.6, 36.2, 0.01));
    await t.publish([z]);
    await t.travel('2022-06-02');
    const c = await t.caseAt(point(115.605, 36.205));
    expect(c.effects.find((e: any) => e.zoneId === z).effect).toBe('revert-to-sealed');
    expect(c.publications.map((p: any) => p.kind)).toEqual(['rule_transition']);
    expect((await t.feature(z))!.properties.kind).toBe('sealed');
    expect((await t.feature(z, '2022-06-01'))!.properties.kind).toBe('controlled');
  });
});
