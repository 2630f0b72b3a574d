import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';

/** A square zone in central 东昌府区 (lon/lat of its south-west corner, side in degrees). */
const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});
const zoneFeature = (geometry: unknown, properties: Record<string, unknown>) => ({ type: 'Feature', geometry, properties });

describe.each(backends())('zone lifecycle on %s', (backend) => {
  let server: TestServer;
  let designer: Client;
  let designer2: Client;
  let anon: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    designer = await loginAs(server.url, 'designer1');
    designer2 = await loginAs(server.url, 'designer2');
    anon = new Client(server.url);
  });
  afterAll(async () => {
    await server?.close();
  });

  const createZone = async (props: Record<string, unknown>, geometry = square(115.97, 36.44, 0.004)) => {
    const r = await designer.post('/api/zones', zoneFeature(geometry, props));
    expect(r.status, r.text).toBe(201);
    return r.body;
  };
  const publish = async (zoneIds: string[], title = '关于划定风险区域的通告') => {
    const r = await designer.post('/api/bulletins', { zoneIds, title });
    expect(r.status, r.text).toBe(201);
    return r.body;
  };

  it('creates a draft that only designators see', async () => {
    const z = await createZone({ kind: 'controlled', name: '草稿管控区', reason: '测试' });
    expect(z.properties).toMatchObject({ status: 'draft', kind: 'controlled', version: 1, edition: 'protocol-8' });
    const list = await designer.get('/api/zones?status=draft');
    expect(list.body.features.map((f: any) => f.id)).toContain(z.id);
    expect((await anon.get('/api/zones')).status).toBe(401);
    const pub = await anon.get('/api/public/zones');
    expect(pub.body.features.map((f: any) => f.id)).not.toContain(z.id);
  });

  it('refuses a designation date in the future and a kind the edition does not have', async () => {
    const future = await designer.post('/api/zones', zoneFeature(square(115.9, 36.4, 0.01), { kind: 'sealed', name: 'x', designatedOn: '2999-01-01' }));
    expect(future.status).toBe(400);
    const kind = await designer.post('/api/zones', zoneFeature(square(115.9, 36.4, 0.01), { kind: 'controlled', name: 'x', edition: 'twenty-measures' }));
    expect(kind.status).toBe(400);
    expect(kind.body.error.code).toBe('kind_not_in_edition');
  });

  it('warns when a sealed zone is not inside a controlled or precaution zone', async () => {
    const lonely = await createZone({ kind: 'sealed', name: '孤立封控区' }, square(116.2, 36.3, 0.002));
    expect(lonely.warnings.map((w: any) => w.code)).toContain('sealed_not_nested');
    await createZone({ kind: 'controlled', name: '外围管控区' }, square(116.3, 36.3, 0.02));
    const nested = await createZone({ kind: 'sealed', name: '内部封控区' }, square(116.305, 36.305, 0.002));
    expect(nested.warnings).toEqual([]);
  });

  it('edits a draft with If-Match and refuses a stale version with 409, keeping the winner', async () => {
    const z = await createZone({ kind: 'precaution', name: '防范区A' });
    const missing = await designer.patch(`/api/zones/${z.id}`, { properties: { name: 'no if-match' } });
    expect(missing.status).toBe(428);
    const ok = await designer.patch(`/api/zones/${z.id}`, { properties: { name: '防范区A（改）' } }, { 'if-match': '"1"' });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.properties.version).toBe(2);
    const stale = await designer2.patch(`/api/zones/${z.id}`, { properties: { name: '覆盖' } }, { 'if-match': '1' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(stale.body.error.details.current.properties.name).toBe('防范区A（改）');
    expect((await designer.get(`/api/zones/${z.id}`)).body.properties.name).toBe('防范区A（改）');
  });

  it('lets exactly one of two truly concurrent edits win', async () => {
    const z = await createZone({ kind: 'precaution', name: '并发' });
    const [a, b] = await Promise.all([
      designer.patch(`/api/zones/${z.id}`, { properties: { name: 'A' } }, { 'if-match': '1' }),
      designer2.patch(`/api/zones/${z.id}`, { properties: { name: 'B' } }, { 'if-match': '1' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? 'A' : 'B';
    expect((await designer.get(`/api/zones/${z.id}`)).body.properties.name).toBe(winner);
  });

  it('deletes drafts only', async () => {
    const z = await createZone({ kind: 'precaution', name: '删除' });
    expect((await designer.delete(`/api/zones/${z.id}`)).status).toBe(204);
    expect((await designer.get(`/api/zones/${z.id}`)).status).toBe(404);
    const p = await createZone({ kind: 'precaution', name: '已发布不可删' });
    await publish([p.id]);
    const r = await designer.delete(`/api/zones/${p.id}`);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('zone_not_draft');
  });

  it('publishes several drafts as one numbered bulletin with a readable Chinese notice', async () => {
    const a = await createZone({ kind: 'controlled', name: '东昌府区某小区管控区' }, square(115.95, 36.42, 0.01));
    const b = await createZone({ kind: 'sealed', name: '东昌府区某小区3号楼' }, square(115.953, 36.423, 0.002));
    const bulletin = await publish([a.id, b.id], '关于划定封控区和管控区的通告');
    expect(bulletin.number).toBeGreaterThan(0);
    const full = await anon.get(`/api/bulletins/${bulletin.id}`);
    expect(full.status).toBe(200);
    expect(full.body.text).toContain('封控区（1个）');
    expect(full.body.text).toContain('区域封闭、足不出户、服务上门');
    expect(full.body.text).toContain('人不出区、严禁聚集');
    expect(full.body.text).toContain('0635-8426860');
    const pub = await anon.get('/api/public/zones');
    const ids = pub.body.features.map((f: any) => f.id);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
    const sealed = pub.body.features.find((f: any) => f.id === b.id).properties;
    expect(sealed).toMatchObject({ kind: 'sealed', status: 'published', edition: 'protocol-8', nextKind: null });
    expect(sealed.measures.zh).toBe('区域封闭、足不出户、服务上门');
    expect(sealed.caseFreeDays).toBe(0);
  });

  it('publishes all or none: one bad zone id leaves every draft unpublished', async () => {
    const ok = await createZone({ kind: 'precaution', name: '全有或全无' });
    const published = await createZone({ kind: 'precaution', name: '已发布' });
    await publish([published.id]);
    const r = await designer.post('/api/bulletins', { zoneIds: [ok.id, published.id], title: 't' });
    expect(r.status).toBe(409);
    expect((await designer.get(`/api/zones/${ok.id}`)).body.properties.status).toBe('draft');
  });

  it('keeps an edit of a published zone pending until it is published again', async () => {
    const z = await createZone({ kind: 'controlled', name: '原名' });
    await publish([z.id]);
    const v = (await designer.get(`/api/zones/${z.id}`)).body.properties.version;
    const edit = await designer.patch(`/api/zones/${z.id}`, { properties: { name: '新名' } }, { 'if-match': String(v) });
    expect(edit.status).toBe(200);
    expect(edit.body.properties.pending.name).toBe('新名');
    const before = (await anon.get('/api/public/zones')).body.features.find((f: any) => f.id === z.id);
    expect(before.properties.name).toBe('原名');
    await publish([z.id], '调整');
    const after = (await anon.get('/api/public/zones')).body.features.find((f: any) => f.id === z.id);
    expect(after.properties.name).toBe('新名');
    const history = await designer.get(`/api/zones/${z.id}/history`);
    expect(history.body.entries.map((e: any) => e.action)).toEqual(['created', 'published', 'edited_pending', 'republished']);
  });

  it('answers 304 to If-None-Match with the public ETag', async () => {
    const first = await anon.get('/api/public/zones');
    const etag = first.headers.get('etag')!;
    expect(etag).toBeTruthy();
    const again = await anon.get('/api/public/zones', { 'if-none-match': etag });
    expect(again.status).toBe(304);
  });

  it('prompts for a sealed zone when a case falls in a protocol-8 controlled zone', async () => {
    const z = await createZone({ kind: 'controlled', name: '八版管控区' }, square(115.7, 36.6, 0.01));
    await publish([z.id]);
    const c = await designer.post('/api/cases', { location: { type: 'Point', coordinates: [115.705, 36.605] } });
    const effect = c.body.effects.find((e: any) => e.zoneId === z.id);
    expect(effect).toMatchObject({ effect: 'prompt-sealed', promptSealedZone: true });
  });

  it('lifts a zone by hand with a reason and records it', async () => {
    const z = await createZone({ kind: 'precaution', name: '手动解除' }, square(115.5, 36.3, 0.01));
    await publish([z.id]);
    const r = await designer.post(`/api/zones/${z.id}/lift`, { reason: '经研判提前解除' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.properties).toMatchObject({ status: 'lifted', liftedByHand: true });
    expect((await anon.get('/api/public/zones')).body.features.map((f: any) => f.id)).not.toContain(z.id);
    const h = (await designer.get(`/api/zones/${z.id}/history`)).body.entries.at(-1);
    expect(h).toMatchObject({ action: 'lifted_by_hand', reason: '经研判提前解除' });
  });

  it('answers "am I in a zone" with the zones, hospitals and hotline', async () => {
    const outer = await createZone({ kind: 'controlled', name: '查询管控区' }, square(115.96, 36.45, 0.01));
    const inner = await createZone({ kind: 'sealed', name: '查询封控区' }, square(115.963, 36.453, 0.002));
    await publish([outer.id, inner.id]);
    const r = await anon.get('/api/public/lookup?lon=115.964&lat=36.454');
    expect(r.status).toBe(200);
    expect(r.body.inServiceArea).toBe(true);
    expect(r.body.region.name).toBe('东昌府区');
    expect(r.body.zones.slice(0, 2).map((z: any) => z.id)).toEqual([inner.id, outer.id]);
    expect(r.body.hospitals).toHaveLength(3);
    expect(r.body.hospitals[0]).toHaveProperty('phone');
    expect(r.body.hotline.phones.length).toBeGreaterThan(0);
    const far = await anon.get('/api/public/lookup?lon=121.47&lat=31.23');
    expect(far.status).toBe(200);
    expect(far.body.inServiceArea).toBe(false);
    const bad = await anon.get('/api/public/lookup?lon=abc&lat=36');
    expect(bad.status).toBe(400);
  });

  it('refuses shapes that collapse or fall below the smallest area at the served precision, on every zone write path, storing nothing', async () => {
    const dir = 'tests/fixtures/degenerate';
    const fixtures = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')).fixtures as { file: string; code: string }[];
    const draft = await createZone({ kind: 'sealed', name: '重画测试' }, square(115.95, 36.42, 0.001));
    const before = (await designer.get('/api/zones')).body.features.length;
    for (const f of fixtures) {
      const geometry = JSON.parse(fs.readFileSync(path.join(dir, f.file), 'utf8'));
      const created = await designer.post('/api/zones', zoneFeature(geometry, { kind: 'sealed', name: f.file }));
      expect(created.status, `${f.file}: ${created.text}`).toBe(400);
      expect(created.body.error.code, f.file).toBe(f.code);
      const patched = await designer.patch(`/api/zones/${draft.id}`, { geometry }, { 'if-match': '1' });
      expect(patched.status, `${f.file}: ${patched.text}`).toBe(400);
      expect(patched.body.error.code, f.file).toBe(f.code);
      const imported = await designer.post('/api/zones/import', { type: 'FeatureCollection', features: [zoneFeature(geometry, { kind: 'sealed', name: f.file })] });
      expect(imported.status, `${f.file}: ${imported.text}`).toBe(400);
      expect(imported.body.error.code, f.file).toBe(f.code);
    }
    expect((await designer.get('/api/zones')).body.features.length).toBe(before);
    expect((await designer.get(`/api/zones/${draft.id}`)).body.properties.version).toBe(1);
    // A 10 m × 10 m building is accepted.
    const building = await designer.post('/api/zones', zoneFeature(square(115.96, 36.43, 0.0001), { kind: 'sealed', name: '单栋楼' }));
    expect(building.status, building.text).toBe(201);
  });

  it('never shows cases to the public', async () => {
    expect((await anon.get('/api/cases')).status).toBe(401);
    const pub = await anon.get('/api/public/zones');
    expect(pub.text).not.toContain('"note"');
  });
});
