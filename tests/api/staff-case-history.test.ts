/**
 * A case recorded inside a zone appears in that zone's history (`GET /api/zones/:id/history`),
 * with the case's report date and what it did to the count: the case-free days it restarted and
 * the expected change date before and after. The service's clock is fixed, so the dates are exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { loginAs, startTestServer, type Client, type TestServer } from '../helpers/server';
import { fakeClock, realClock, travelTo } from '../helpers/clock';

const box = (lon: number, lat: number, half: number) => ({
  type: 'Polygon',
  coordinates: [[[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half]]],
});

describe.each(backends())('a case in a zone’s history on %s', (backend) => {
  let server: TestServer;
  let designer: Client;

  beforeAll(async () => {
    fakeClock();
    travelTo('2022-11-23');
    server = await startTestServer(backend);
    designer = await loginAs(server.url, 'designer1');
  });
  afterAll(async () => {
    await server?.close();
    realClock();
  });

  const publishZone = async (properties: Record<string, unknown>, geometry: unknown) => {
    const created = await designer.post('/api/zones', { type: 'Feature', geometry, properties });
    expect(created.status, created.text).toBe(201);
    const published = await designer.post('/api/bulletins', { zoneIds: [created.body.id], title: `关于划定${properties.name}的通告` });
    expect(published.status, published.text).toBe(201);
    return created.body.id as string;
  };
  const historyOf = async (id: string) => {
    const r = await designer.get(`/api/zones/${id}/history`);
    expect(r.status, r.text).toBe(200);
    return r.body.entries as { action: string; effectiveOn: string | null; by: string; fromKind: string | null; toKind: string | null; reason: string; details: Record<string, unknown> }[];
  };

  it('records the case with its date, the case-free days it restarted and the new expected lift date', async () => {
    // twenty-measures: a sealed zone is lifted after 5 case-free days. Designated 11-20, so it
    // would lift at 00:00 on 11-26; a case reported on 11-22 moves that to 11-28.
    const zoneId = await publishZone(
      { kind: 'sealed', name: '病例历史测试封控区', edition: 'twenty-measures', designatedOn: '2022-11-20' },
      box(116.05, 36.40, 0.002),
    );
    const r = await designer.post('/api/cases', { location: { type: 'Point', coordinates: [116.0501, 36.4001] }, reportedOn: '2022-11-22' });
    expect(r.status, r.text).toBe(201);

    const entries = await historyOf(zoneId);
    const caseEntries = entries.filter((e) => e.action === 'case_recorded');
    expect(caseEntries).toHaveLength(1);
    expect(caseEntries[0]).toMatchObject({
      effectiveOn: '2022-11-22',
      by: 'designer1',
      fromKind: 'sealed',
      toKind: 'sealed',
      details: {
        caseId: r.body.case.id,
        reportedOn: '2022-11-22',
        restarted: true,
        effect: 'restart',
        caseFreeDaysBefore: 2,
        nextChangeOnBefore: '2022-11-26',
        nextChangeOn: '2022-11-28',
      },
    });
    // The zone itself says the same new date.
    const zone = await designer.get(`/api/zones/${zoneId}`);
    expect(zone.body.properties.nextChangeOn).toBe('2022-11-28');
  });

  it('records a case among people isolated at home as not restarting the count', async () => {
    const zoneId = await publishZone(
      { kind: 'sealed', name: '居家隔离病例测试封控区', edition: 'twenty-measures', designatedOn: '2022-11-21' },
      box(116.08, 36.40, 0.002),
    );
    const r = await designer.post('/api/cases', { location: { type: 'Point', coordinates: [116.0801, 36.4001] }, reportedOn: '2022-11-23', amongIsolated: true });
    expect(r.status, r.text).toBe(201);
    const [entry] = (await historyOf(zoneId)).filter((e) => e.action === 'case_recorded');
    expect(entry).toMatchObject({
      effectiveOn: '2022-11-23',
      details: { restarted: false, effect: 'none', caseFreeDaysBefore: 2, nextChangeOnBefore: '2022-11-27', nextChangeOn: '2022-11-27' },
    });
  });

  it('puts the case before the change of kind it causes (shanghai-2022: a case turns a controlled zone back into a sealed one)', async () => {
    const zoneId = await publishZone(
      { kind: 'controlled', name: '转封控测试管控区', edition: 'shanghai-2022', designatedOn: '2022-11-22' },
      box(116.11, 36.40, 0.002),
    );
    const r = await designer.post('/api/cases', { location: { type: 'Point', coordinates: [116.1101, 36.4001] } });
    expect(r.status, r.text).toBe(201);
    const entries = await historyOf(zoneId);
    const caseAt = entries.findIndex((e) => e.action === 'case_recorded');
    expect(caseAt).toBeGreaterThan(-1);
    expect(entries[caseAt]).toMatchObject({ effectiveOn: '2022-11-23', fromKind: 'controlled', toKind: 'sealed', details: { effect: 'revert-to-sealed', restarted: true } });
    const applied = entries.findIndex((e) => e.action === 'state_applied' && e.toKind === 'sealed');
    expect(applied).toBeGreaterThan(caseAt);
  });

  it('writes nothing into the history of a zone the case lies outside', async () => {
    const zoneId = await publishZone(
      { kind: 'sealed', name: '区外病例测试封控区', edition: 'twenty-measures', designatedOn: '2022-11-22' },
      box(116.14, 36.40, 0.002),
    );
    const r = await designer.post('/api/cases', { location: { type: 'Point', coordinates: [116.15, 36.41] } });
    expect(r.status, r.text).toBe(201);
    expect((await historyOf(zoneId)).map((e) => e.action)).not.toContain('case_recorded');
  });
});
