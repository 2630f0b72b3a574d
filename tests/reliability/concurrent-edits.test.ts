/**
 * Nothing lost when designators work at the same moment: of ten truly concurrent edits of one zone
 * at the same version exactly one wins and nine get 409 with the winner's state; of several
 * concurrent publications of one draft exactly one publishes it; concurrent bulletins never share
 * a number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';

const square = (lon: number, lat: number, d = 0.004) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

describe.each(backends())('concurrent edits on %s', (backend) => {
  let server: TestServer;
  let designers: Client[];
  beforeAll(async () => {
    server = await startTestServer(backend);
    designers = [await loginAs(server.url, 'designer1'), await loginAs(server.url, 'designer2')];
  });
  afterAll(async () => {
    await server?.close();
  });

  const createZone = async (name: string, lon: number) => {
    const r = await designers[0].post('/api/zones', { type: 'Feature', geometry: square(lon, 36.3), properties: { kind: 'precaution', name } });
    expect(r.status, r.text).toBe(201);
    return r.body;
  };

  it('lets exactly one of ten concurrent PATCHes with the same If-Match win; the rest get 409 and the winner stays', async () => {
    const z = await createZone('十人同改', 115.6);
    const edits = Array.from({ length: 10 }, (_, i) => ({ name: `版本${i}`, geometry: square(115.6 + i * 0.0001, 36.3) }));
    const answers = await Promise.all(
      edits.map((e, i) => designers[i % 2].patch(`/api/zones/${z.id}`, { geometry: e.geometry, properties: { name: e.name } }, { 'if-match': '1' })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    const winner = edits[statuses.indexOf(200)];
    for (const lost of answers.filter((a) => a.status === 409)) {
      expect(lost.body.error.code).toBe('version_conflict');
      expect(lost.body.error.details.current.properties).toMatchObject({ name: winner.name, version: 2 });
    }
    const final = (await designers[0].get(`/api/zones/${z.id}`)).body;
    expect(final.properties).toMatchObject({ name: winner.name, version: 2 });
    expect(final.geometry.coordinates[0][0][0][0]).toBeCloseTo(winner.geometry.coordinates[0][0][0], 7);
    const history = (await designers[0].get(`/api/zones/${z.id}/history`)).body.entries;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['created', 'edited']);
    const audit = await server.db.knex('audit_log').where({ entity: 'zone', entity_id: z.id, action: 'update' }).count({ n: '*' }).first();
    expect(Number(audit!.n)).toBe(1);
  });

  it('publishes a draft once when five bulletins naming it are sent at the same moment', async () => {
    const z = await createZone('同时发布', 115.7);
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => designers[i % 2].post('/api/bulletins', { zoneIds: [z.id], title: `同时发布${i}` })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(4);
    const rows = await server.db.knex('bulletin_zones').where({ zone_id: z.id });
    expect(rows).toHaveLength(1);
    const history = (await designers[0].get(`/api/zones/${z.id}/history`)).body.entries;
    expect(history.filter((h: { action: string }) => h.action === 'published')).toHaveLength(1);
  });

  it('gives concurrent bulletins distinct, consecutive numbers', async () => {
    const zones = await Promise.all(Array.from({ length: 6 }, (_, i) => createZone(`编号${i}`, 115.8 + i * 0.01)));
    const answers = await Promise.all(zones.map((z, i) => designers[i % 2].post('/api/bulletins', { zoneIds: [z.id], title: `编号通告${i}` })));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    const numbers = answers.map((a) => a.body.number as number).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(6);
    expect(numbers.at(-1)! - numbers[0]).toBe(5);
  });
});
