/**
 * Builds geodata/checkpoints.geojson: SAMPLE entry checkpoints (入聊通道服务点).
 *
 * Seed 000: Liaocheng ran 42 service points on expressways and national/provincial roads, each
 * under a point leader (点长); their positions were not published. The samples here follow the
 * national guideline (docs/rules.md): on ordinary roads, one inbound point just inside the city
 * boundary; on expressways, never on the main line or in a service area but at the toll plaza of
 * an exit link. Point leaders and phones are unknown and stay null.
 *
 * Run after build-roads.ts: npx tsx geodata/scripts/build-checkpoints.ts
 */
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, LineString, MultiPolygon, Point } from 'geojson';
import { OUTPUT, assertInServiceArea, isMainModule, readGeodata, writeGeodata, type LonLat } from './common';
import type { RegionProperties } from './build-regions';
import {
  ROADS,
  buildRoadNetwork,
  readCityArea,
  type BorderEntry,
  type RoadProperties,
  type TollPlaza,
} from './build-roads';
import { positionKey } from './network';

/** Properties of one checkpoint feature. */
export interface CheckpointProperties {
  id: string;
  name: string;
  /** Route number, or the road's name where it has no number known here. */
  road: string;
  kind: 'border_entry' | 'toll_exit';
  /** Direction of travel into the city: "<中文> / <English>". */
  direction: string;
  directionZh: string;
  directionEn: string;
  countyCode: string;
  county: string;
  /** 点长: not published; never invented. */
  pointLeader: null;
  phone: null;
  sample: true;
  approximate: true;
  placement: string;
}

/** Sample border checkpoints: one per ordinary road entering the city, at the end named. */
const BORDER_CHECKPOINTS: { id: string; roadKey: string; end: 'start' | 'end'; name: string }[] = [
  { id: 'cp-01', roadKey: 'g105', end: 'start', name: 'G105高唐北入聊服务点（示例）' },
  { id: 'cp-02', roadKey: 'g105', end: 'end', name: 'G105阳谷南入聊服务点（示例）' },
  { id: 'cp-03', roadKey: 'g308', end: 'start', name: 'G308高唐东入聊服务点（示例）' },
  { id: 'cp-04', roadKey: 'g308', end: 'end', name: 'G308临清西入聊服务点（示例）' },
  { id: 'cp-05', roadKey: 'g309-east', end: 'start', name: 'G309东阿东南入聊服务点（示例）' },
  { id: 'cp-06', roadKey: 'g309-west', end: 'end', name: 'G309冠县西入聊服务点（示例）' },
  { id: 'cp-07', roadKey: 'linqing-xiajin', end: 'end', name: '临清东北入聊服务点（示例）' },
  { id: 'cp-08', roadKey: 'gaotang-xiajin', end: 'end', name: '高唐西北入聊服务点（示例）' },
  { id: 'cp-09', roadKey: 'chiping-qihe', end: 'end', name: '茌平东入聊服务点（示例）' },
  { id: 'cp-10', roadKey: 'donge-changqing', end: 'end', name: '东阿东北入聊服务点（示例）' },
  { id: 'cp-11', roadKey: 'shenxian-fanxian', end: 'end', name: '莘县南入聊服务点（示例）' },
  { id: 'cp-12', roadKey: 'shenxian-daming', end: 'end', name: '莘县西入聊服务点（示例）' },
  { id: 'cp-13', roadKey: 'guanxian-daming', end: 'end', name: '冠县西南入聊服务点（示例）' },
];

/** Sample expressway checkpoints: one at the toll plaza of each exit link. */
const TOLL_CHECKPOINTS: { id: string; roadKey: string; name: string }[] = [
  { id: 'cp-14', roadKey: 'g20-exit-chiping', name: 'G20茌平收费站出口服务点（示例）' },
  { id: 'cp-15', roadKey: 'g20-exit-liaocheng-north', name: 'G20聊城北收费站出口服务点（示例）' },
  { id: 'cp-16', roadKey: 'g20-exit-tangyi', name: 'G20堂邑收费站出口服务点（示例）' },
  { id: 'cp-17', roadKey: 'g20-exit-guanxian', name: 'G20冠县收费站出口服务点（示例）' },
  { id: 'cp-18', roadKey: 'g0321-exit-gaotang', name: 'G0321高唐收费站出口服务点（示例）' },
  { id: 'cp-19', roadKey: 'g0321-exit-liaocheng-east', name: 'G0321聊城东收费站出口服务点（示例）' },
  { id: 'cp-20', roadKey: 'g0321-exit-yanggu', name: 'G0321阳谷收费站出口服务点（示例）' },
  { id: 'cp-21', roadKey: 'g22-exit-donge', name: 'G22东阿收费站出口服务点（示例）' },
  { id: 'cp-22', roadKey: 'g22-exit-liaocheng-south', name: 'G22聊城南收费站出口服务点（示例）' },
  { id: 'cp-23', roadKey: 'g22-exit-shenxian', name: 'G22莘县收费站出口服务点（示例）' },
];

const COMPASS_ZH = ['北向', '东北向', '东向', '东南向', '南向', '西南向', '西向', '西北向'];
const COMPASS_EN = ['northbound', 'north-eastbound', 'eastbound', 'south-eastbound', 'southbound', 'south-westbound', 'westbound', 'north-westbound'];

/** Eight-point compass sector of a bearing (degrees clockwise from north). */
export function compassSector(bearing: number): { zh: string; en: string } {
  const index = Math.round((((bearing % 360) + 360) % 360) / 45) % 8;
  return { zh: COMPASS_ZH[index], en: COMPASS_EN[index] };
}

type RegionFeature = Feature<MultiPolygon, RegionProperties>;

function regionAt(regions: RegionFeature[], position: LonLat): RegionFeature {
  const region = regions.find((r) => turf.booleanPointInPolygon(position, r));
  if (!region) throw new Error(`checkpoint site ${position} lies in no county-level division`);
  return region;
}

/** A sample checkpoint: every one has no known leader or phone, and says how it was placed. */
function sampleCheckpoint(c: {
  id: string;
  name: string;
  road: string;
  kind: CheckpointProperties['kind'];
  directionZh: string;
  directionEn: string;
  region: RegionFeature;
  placement: string;
  position: LonLat;
}): Feature<Point, CheckpointProperties> {
  return {
    type: 'Feature',
    id: c.id,
    properties: {
      id: c.id,
      name: c.name,
      road: c.road,
      kind: c.kind,
      direction: `${c.directionZh} / ${c.directionEn}`,
      directionZh: c.directionZh,
      directionEn: c.directionEn,
      countyCode: c.region.properties.code,
      county: c.region.properties.name,
      pointLeader: null,
      phone: null,
      sample: true,
      approximate: true,
      placement: c.placement,
    },
    geometry: { type: 'Point', coordinates: c.position },
  };
}

function borderCheckpoint(
  row: (typeof BORDER_CHECKPOINTS)[number],
  entry: BorderEntry,
  region: RegionFeature,
): Feature<Point, CheckpointProperties> {
  const compass = compassSector(entry.bearing);
  return sampleCheckpoint({
    id: row.id,
    name: row.name,
    road: entry.ref ?? entry.name,
    kind: 'border_entry',
    directionZh: `${compass.zh}，${entry.from.zh}方向来车`,
    directionEn: `${compass.en}, inbound from ${entry.from.en}`,
    region,
    placement: `sample: on the sample road about ${Math.round(entry.offsetKm * 1000)} m inside the city boundary where the road crosses it (boundary from regions.geojson); the real site was not published`,
    position: entry.position,
  });
}

function tollCheckpoint(
  row: (typeof TOLL_CHECKPOINTS)[number],
  plaza: TollPlaza,
  region: RegionFeature,
): Feature<Point, CheckpointProperties> {
  return sampleCheckpoint({
    id: row.id,
    name: row.name,
    road: plaza.motorwayRef,
    kind: 'toll_exit',
    directionZh: `${plaza.motorwayRef}出口下道车辆`,
    directionEn: `vehicles leaving ${plaza.motorwayRef} at the exit`,
    region,
    placement: `sample: at the toll plaza (${plaza.station}) of a sample exit link off ${plaza.motorwayRef}, not on the expressway main line; the real site was not published`,
    position: plaza.position,
  });
}

/** Builds the sample checkpoints from the road network's border entries and toll plazas. */
export function buildCheckpoints(
  entries: BorderEntry[],
  tollPlazas: TollPlaza[],
  regions: RegionFeature[],
): FeatureCollection<Point, CheckpointProperties> {
  const features: Feature<Point, CheckpointProperties>[] = [];
  for (const row of BORDER_CHECKPOINTS) {
    const entry = entries.find((e) => e.roadKey === row.roadKey && e.end === row.end);
    if (!entry) throw new Error(`${row.id}: road ${row.roadKey} has no border entry at its ${row.end}`);
    features.push(borderCheckpoint(row, entry, regionAt(regions, entry.position)));
  }
  for (const row of TOLL_CHECKPOINTS) {
    const plaza = tollPlazas.find((p) => p.roadKey === row.roadKey);
    if (!plaza) throw new Error(`${row.id}: ${row.roadKey} has no toll plaza`);
    features.push(tollCheckpoint(row, plaza, regionAt(regions, plaza.position)));
  }
  // Every ordinary road entering the city must have its checkpoint, and every exit link its one.
  const unused = [
    ...entries.filter((e) => !BORDER_CHECKPOINTS.some((r) => r.roadKey === e.roadKey && r.end === e.end)).map((e) => `${e.roadKey}/${e.end}`),
    ...tollPlazas.filter((p) => !TOLL_CHECKPOINTS.some((r) => r.roadKey === p.roadKey)).map((p) => p.roadKey),
  ];
  if (unused.length > 0) throw new Error(`checkpoint sites without a checkpoint: ${unused.join(', ')}`);
  return { type: 'FeatureCollection', features };
}

function main(): void {
  const city = readCityArea();
  const regions = readGeodata<FeatureCollection<MultiPolygon, RegionProperties>>(OUTPUT.regions).features;
  const { entries, tollPlazas } = buildRoadNetwork(city, ROADS);
  const checkpoints = buildCheckpoints(entries, tollPlazas, regions);

  // The committed roads.geojson must be the network the sites were computed on: each site is a node of it.
  const roads = readGeodata<FeatureCollection<LineString, RoadProperties>>(OUTPUT.roads);
  const nodes = new Set(
    roads.features.flatMap((f) => [positionKey(f.geometry.coordinates[0] as LonLat), positionKey(f.geometry.coordinates.at(-1) as LonLat)]),
  );
  for (const feature of checkpoints.features) {
    if (!nodes.has(positionKey(feature.geometry.coordinates as LonLat))) {
      throw new Error(`${feature.properties.id} is not a node of ${OUTPUT.roads}: rebuild the roads first`);
    }
  }
  assertInServiceArea('checkpoints', checkpoints.features.map((f) => f.geometry.coordinates));
  writeGeodata(OUTPUT.checkpoints, checkpoints);
  const byKind = checkpoints.features.reduce<Record<string, number>>((acc, f) => {
    acc[f.properties.kind] = (acc[f.properties.kind] ?? 0) + 1;
    return acc;
  }, {});
  console.log(`checkpoints: ${checkpoints.features.length} sample (${Object.entries(byKind).map(([k, n]) => `${n} ${k}`).join(', ')})`);
}

if (isMainModule(import.meta.url)) main();
