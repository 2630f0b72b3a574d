/**
 * A protocol-8 outbreak replayed over HTTP: nested zones in 东昌府区 with cases on different days,
 * screening rounds, the precaution-zone cascade, and a precaution zone in 高唐县 that the cascade
 * must not hold back. The service's clock is moved day by day (the daily run at each 00:00), so
 * every transition is published on its day; each date is checked in the zones' history and on
 * the published map of each day (asOf).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';
import { fakeClock, realClock, travelTo } from '../helpers/clock';

const box = (lon: number, lat: number, half: number) => ({
  type: 'Polygon',
  coordinates: [[[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half]]],
});

describe.each(backends())('protocol-8 outbreak on %s', (backend) => {
  let server: TestServer;
  let designer: Client;
  let admin: Client;
  let anon: Client;
  const ids: Record<'sealed' | 'controlled' | 'precaution' | 'gaotang', string> = { sealed: '', controlled: '', precaution: '', gaotang: '' };

  beforeAll(async () => {
    fakeClock();
    travelTo('2022-04-01');
    server = await startTestServer(backend, { LOGIN_RATE_LIMIT_PER_15MIN: '1000' });
    const login = async () => {
      designer = await loginAs(server.url, 'designer1');
      admin = await loginAs(server.url, 'admin');
    };
    await login();
    anon = new Client(server.url);
    const zones = [
      ['sealed', { kind: 'sealed', name: '东昌府区某小区2号楼' }, box(115.98, 36.45, 0.001)],
      ['controlled', { kind: 'controlled', name: '东昌府区某小区' }, box(115.98, 36.45, 0.006)],
      ['precaution', { kind: 'precaution', name: '东昌府区某街道' }, box(115.98, 36.45, 0.03)],
      ['gaotang', { kind: 'precaution', name: '高唐县某镇' }, box(116.23, 36.86, 0.01)],
    ] as const;
    for (const [key, props, geometry] of zones) {
      const r = await designer.post('/api/zones', { type: 'Feature', geometry, properties: { ...props, edition: 'protocol-8' } });
      expect(r.status, r.text).toBe(201);
      ids[key] = r.body.id;
    }
    expect((await designer.post('/api/bulletins', { zoneIds: Object.values(ids), title: '关于划定风险区域的通告' })).status).toBe(201);
    // What happens on each day, at 10:00, after the run of 00:00.
    const events: Record<string, () => Promise<void>> = {
      // A case in the sealed building (inside all three nested zones), then one in the compound.
      '2022-04-03': async () => {
        expect((await designer.post('/api/cases', { location: { type: 'Point', coordinates: [115.9801, 36.4501] } })).status).toBe(201);
      },
      '2022-04-05': async () => {
        expect((await designer.post('/api/cases', { location: { type: 'Point', coordinates: [115.983, 36.452] } })).status).toBe(201);
      },
      // Sealed: D = 04-03, 14 days → 04-17; a negative round on 04-17 is within 2 days before lifting.
      '2022-04-17': async () => {
        expect((await designer.post(`/api/zones/${ids.sealed}/screenings`, { on: '2022-04-17', negative: true })).status).toBe(201);
      },
      // Controlled: D = 04-05 → 04-19; its round comes late, on 04-22.
      '2022-04-22': async () => {
        expect((await designer.post(`/api/zones/${ids.controlled}/screenings`, { on: '2022-04-22', negative: true })).status).toBe(201);
      },
    };
    for (let d = 2; d <= 30; d++) {
      const day = `2022-04-${String(d).padStart(2, '0')}`;
      travelTo(day, '00:00');
      await login();
      expect((await admin.post('/api/admin/expiry/run')).status).toBe(200);
      travelTo(day, '10:00');
      await events[day]?.();
    }
  });
  afterAll(async () => {
    await server?.close();
    realClock();
  });

  const liftOf = async (id: string) => {
    const entries = (await designer.get(`/api/zones/${id}/history`)).body.entries.filter((e: any) => e.action === 'rule_transition' && !e.superseded);
    expect(entries, `one lift for zone ${id}`).toHaveLength(1);
    expect(entries[0].toKind).toBeNull();
    return entries[0];
  };
  const inForce = async (asOf: string) => (await anon.get(`/api/public/zones?asOf=${asOf}`)).body.features.map((f: any) => f.id);

  it('lifts the sealed zone at 00:00 on 04-18, after 14 case-free days and its screening round', async () => {
    const lift = await liftOf(ids.sealed);
    expect(lift).toMatchObject({ effectiveOn: '2022-04-18', rule: 'protocol-8/sealed-lift-14' });
    expect(lift.details).toMatchObject({ anchorOn: '2022-04-03', screeningOn: '2022-04-17' });
  });

  it('lifts the controlled zone the day after its late screening round (04-23)', async () => {
    const lift = await liftOf(ids.controlled);
    expect(lift).toMatchObject({ effectiveOn: '2022-04-23', rule: 'protocol-8/controlled-lift-14' });
    expect(lift.details.anchorOn).toBe('2022-04-05');
  });

  it('keeps the precaution zone until the last sealed or controlled zone of its county is lifted', async () => {
    const lift = await liftOf(ids.precaution);
    // Its own 14 days end 04-19 (lift 04-20); the controlled zone holds it to 04-23.
    expect(lift.effectiveOn).toBe('2022-04-23');
    expect(lift.details.cascadeFrom).toEqual([ids.controlled]);
  });

  it('does not hold back a precaution zone of another county', async () => {
    const lift = await liftOf(ids.gaotang);
    expect(lift.effectiveOn).toBe('2022-04-16');
  });

  it('shows each day the map as it stood', async () => {
    expect(await inForce('2022-04-15')).toEqual(expect.arrayContaining(Object.values(ids)));
    expect(await inForce('2022-04-16')).not.toContain(ids.gaotang);
    const on17 = await inForce('2022-04-17');
    expect(on17).toContain(ids.sealed);
    const on18 = await inForce('2022-04-18');
    expect(on18).not.toContain(ids.sealed);
    expect(on18).toEqual(expect.arrayContaining([ids.controlled, ids.precaution]));
    const on22 = await inForce('2022-04-22');
    expect(on22).toEqual(expect.arrayContaining([ids.controlled, ids.precaution]));
    const on23 = await inForce('2022-04-23');
    expect(on23).not.toContain(ids.controlled);
    expect(on23).not.toContain(ids.precaution);
  });

  it('counts case-free days and predicts the next change on the public map', async () => {
    const f = (await anon.get('/api/public/zones?asOf=2022-04-10')).body.features.find((x: any) => x.id === ids.controlled);
    expect(f.properties).toMatchObject({ lastCaseOn: '2022-04-05', caseFreeDays: 5, nextChangeOn: '2022-04-20', nextKind: null });
  });

  it('records nothing new when the runs are repeated', async () => {
    for (const asOf of ['2022-04-18', '2022-04-30']) {
      const r = await admin.post(`/api/admin/expiry/run?asOf=${asOf}`);
      expect(r.body.transitions).toEqual([]);
    }
  });
});
