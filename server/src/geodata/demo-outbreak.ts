import type { AppContext } from '../context';
import { PublishBody } from '../../../contract/schemas';
import { addDays, todayInShanghai } from '../../../contract/dates';

/**
 * A SAMPLE outbreak for the embedded demo, so that a fresh `npm start` shows zones in force: every
 * zone is marked `sample` and named "（示例）", its dates are relative to today, and the cases are
 * invented points. None of it is real data; the real data are the hospitals, hotlines and measures.
 */
const box = (lon: number, lat: number, dLon: number, dLat: number): GeoJSON.MultiPolygon => ({
  type: 'MultiPolygon',
  coordinates: [[[[lon, lat], [lon + dLon, lat], [lon + dLon, lat + dLat], [lon, lat + dLat], [lon, lat]]]],
});

const SAMPLE_REASON = '示例数据，仅供演示，非真实疫情 / sample data for the demo, not a real outbreak';

/** Creates and publishes the sample outbreak when the database has no zones yet. */
export async function loadDemoOutbreak(ctx: AppContext): Promise<boolean> {
  if ((await ctx.services.zones.repo.count()) > 0) return false;
  const today = todayInShanghai();
  const designatedOn = addDays(today, -5);
  const actor = 'demo';
  const zones = [
    { kind: 'precaution', name: '古楼街道防范区（示例）', geometry: box(115.965, 36.44, 0.04, 0.03) },
    { kind: 'controlled', name: '东昌府区某小区周边管控区（示例）', geometry: box(115.978, 36.449, 0.008, 0.006) },
    { kind: 'sealed', name: '东昌府区某小区3号楼（示例）', geometry: box(115.9815, 36.4515, 0.0012, 0.0009) },
    { kind: 'controlled', name: '高唐县固河镇管控区（示例）', geometry: box(116.06, 36.93, 0.03, 0.02) },
    { kind: 'sealed', name: '高唐县固河镇某村（示例）', geometry: box(116.072, 36.937, 0.004, 0.003) },
  ] as const;
  const ids: string[] = [];
  for (const z of zones) {
    const { feature } = await ctx.services.zones.create(
      { geometry: z.geometry, properties: { kind: z.kind, name: z.name, reason: SAMPLE_REASON, designatedOn, sample: true } },
      actor,
    );
    ids.push(feature.id);
  }
  await ctx.services.bulletins.publish(PublishBody.parse({ zoneIds: ids, title: '关于划定风险区域的通告（示例）' }), actor);
  const cases = [
    { location: [115.982, 36.452], reportedOn: designatedOn },
    { location: [115.9823, 36.4519], reportedOn: addDays(today, -3) },
    { location: [116.074, 36.9385], reportedOn: designatedOn },
  ];
  for (const c of cases) {
    await ctx.services.cases.record({ location: { type: 'Point', coordinates: c.location }, reportedOn: c.reportedOn, note: '示例病例（非真实数据）', amongIsolated: false }, actor);
  }
  return true;
}
