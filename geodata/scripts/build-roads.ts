/**
 * Builds geodata/roads.geojson: a SAMPLE road network of the Liaocheng area for truck routing,
 * drawn by hand from general knowledge (no map data was available while it was made). Every
 * line is approximate, a few kilometres off at best; the numbering of the expressways and
 * national roads follows what is generally known and may be wrong in places. A real deployment
 * replaces this file with OpenStreetMap data (see geodata/README.md).
 *
 * Output: one feature per edge between two junctions, noded (roads that meet share exact vertex
 * coordinates), one connected graph. Expressways are joined to other roads only at interchanges.
 *
 * Run after build-regions.ts: npx tsx geodata/scripts/build-roads.ts
 */
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, LineString, MultiPolygon } from 'geojson';
import {
  OUTPUT,
  assertInServiceArea,
  isMainModule,
  readGeodata,
  round6,
  writeGeodata,
  type LonLat,
} from './common';
import { alongWithSegment, boundaryCrossings, connectedComponents, positionKey } from './network';
import { segmentIntersection } from '../../server/src/geo/planar';
import { insertCrossings, nodeRoadLines } from '../../server/src/roads/roads.noding';
import { DEFAULT_SPEED_KMH, type RoadClass as StoredRoadClass } from '../../server/src/roads/roads.speeds';

/** The classes the sample network is drawn in (no service roads or unclassified ones). */
export type RoadClass = Exclude<StoredRoadClass, 'service' | 'unclassified'>;

/** A neighbouring place a road comes from, where it enters the city. */
export interface Place {
  zh: string;
  en: string;
}

/**
 * A waypoint: a plain position; a position snapped onto another road (a junction placed on a
 * road drawn elsewhere); or the toll plaza of an expressway exit link.
 */
type Waypoint = LonLat | { snapTo: string; near: LonLat } | { tollPlaza: string; at: LonLat };

/** One road as drawn: waypoints in order, from one end to the other. */
export interface RoadSpec {
  key: string;
  name: string;
  ref: string | null;
  class: RoadClass;
  waypoints: Waypoint[];
  /** Where an end lies outside the city: the neighbouring place traffic comes from there. */
  outside?: { start?: Place; end?: Place };
  /** For an exit link: the expressway it leaves. */
  exitOf?: string;
  noTrucks?: boolean;
  maxWeightT?: number;
  maxHeightM?: number;
  note?: string;
}

/** Properties of one road edge in roads.geojson. */
export interface RoadProperties {
  id: string;
  roadKey: string;
  name: string;
  ref: string | null;
  class: RoadClass;
  speedKmh: number;
  oneway: boolean;
  maxHeightM: number | null;
  maxWeightT: number | null;
  noTrucks: boolean;
  link: boolean;
  sample: true;
  approximate: true;
  note: string | null;
}

/** County seats: the `seat` points of regions.geojson (the package's `cp`), so roads meet there exactly. */
const SEAT = {
  dongchangfu: [115.988349, 36.434669],
  chiping: [116.25527, 36.580688],
  gaotang: [116.23016, 36.846762],
  linqing: [115.704881, 36.838277],
  guanxian: [115.442739, 36.484009],
  shenxian: [115.671191, 36.233598],
  yanggu: [115.79182, 36.114392],
  donge: [116.247579, 36.334917],
} satisfies Record<string, LonLat>;

/** Junctions used by more than one road. */
const J = {
  /** G20 × G0321 interchange north-east of the city. */
  hubNorthEast: [116.09, 36.515],
  /** G0321 × G22 interchange south-east of the city. */
  hubSouthEast: [116.07, 36.32],
  /** Ends of the central street grid. */
  xinghuaEast: [116.065, 36.478],
  dongchangEast: [116.065, 36.458],
  dongchangWest: [115.905, 36.458],
  dongchangMid: [116.005, 36.458],
  jiansheEast: [116.065, 36.434669],
  liuyuanNorth: [115.955, 36.5],
  liuyuanSouth: [115.955, 36.405],
  huayuanNorth: [115.978, 36.5],
  /** G105 south of the city, where the G22 聊城南 exit joins it. */
  g105South: [115.985, 36.33],
  /** G309 at 堂邑, where the G20 堂邑 exit joins it. */
  g309Tangyi: [115.82, 36.47],
  /** G308 just inside 高唐县, where the G0321 高唐 exit joins it. */
  g308West: [116.1, 36.84],
  /** Ends of the sample weight-restricted bridge on the 聊城—莘县 road. */
  bridgeNorth: [115.9, 36.38],
  bridgeSouth: [115.896, 36.378],
} satisfies Record<string, LonLat>;

const DEZHOU = (county: string, countyEn: string): Place => ({ zh: `德州（${county}）`, en: `Dezhou (${countyEn})` });

/**
 * The sample network. Coordinates are lon/lat, hand-placed; comments say what each line stands
 * for. Expressway alignments especially are schematic.
 */
export const ROADS: RoadSpec[] = [
  // ── Expressways (motorway). Checkpoints never sit on these; see the exit links below. ──
  {
    // 济聊 + 聊馆 sections: from 齐河 in the east past 茌平 and north of the city to 冠县 and 馆陶.
    key: 'g20',
    name: 'G20 青银高速',
    ref: 'G20',
    class: 'motorway',
    waypoints: [[116.48, 36.56], [116.3, 36.555], [116.18, 36.535], J.hubNorthEast, [115.99, 36.515], [115.82, 36.515], [115.62, 36.515], [115.43, 36.52], [115.22, 36.545]],
    outside: { start: DEZHOU('齐河', 'Qihe'), end: { zh: '河北邯郸（馆陶）', en: 'Handan, Hebei (Guantao)' } },
  },
  {
    // North–south: from 夏津 past the west of 高唐 and 茌平, east of the city, to 阳谷 and 范县.
    key: 'g0321',
    name: 'G0321 德上高速',
    ref: 'G0321',
    class: 'motorway',
    waypoints: [[116.02, 36.97], [116.04, 36.88], [116.05, 36.8], [116.08, 36.65], J.hubNorthEast, [116.1, 36.46], [116.1, 36.4], J.hubSouthEast, [115.95, 36.22], [115.86, 36.16], [115.76, 36.04], [115.72, 35.98], [115.69, 35.92]],
    outside: { start: DEZHOU('夏津', 'Xiajin'), end: { zh: '河南濮阳（范县）', en: 'Puyang, Henan (Fanxian)' } },
  },
  {
    // 东阿界至聊城（鲁冀界）section, opened 2019: from the Yellow River at 东阿 west past the south of the city and 莘县 to Hebei.
    key: 'g22',
    name: 'G22 青兰高速',
    ref: 'G22',
    class: 'motorway',
    waypoints: [[116.33, 36.21], [116.3, 36.26], [116.22, 36.3], J.hubSouthEast, [116.0, 36.32], [115.8, 36.32], [115.68, 36.3], [115.5, 36.3], [115.34, 36.3]],
    outside: { start: { zh: '泰安（东平）', en: "Tai'an (Dongping)" }, end: { zh: '河北邯郸（大名）', en: 'Handan, Hebei (Daming)' } },
  },

  // ── Exit links: motorway junction → toll plaza (the checkpoint) → ordinary road. ──
  {
    key: 'g20-exit-chiping',
    name: 'G20 茌平出口连接线（示例）',
    ref: null,
    class: 'secondary',
    exitOf: 'G20',
    waypoints: [{ snapTo: 'g20', near: [116.3, 36.555] }, { tollPlaza: '茌平', at: [116.29, 36.565] }, SEAT.chiping],
  },
  {
    key: 'g20-exit-liaocheng-north',
    name: 'G20 聊城北出口连接线（示例）',
    ref: null,
    class: 'secondary',
    exitOf: 'G20',
    waypoints: [{ snapTo: 'g20', near: [115.99, 36.515] }, { tollPlaza: '聊城北', at: [115.985, 36.507] }, J.huayuanNorth],
  },
  {
    key: 'g20-exit-tangyi',
    name: 'G20 堂邑出口连接线（示例）',
    ref: null,
    class: 'secondary',
    exitOf: 'G20',
    waypoints: [{ snapTo: 'g20', near: [115.82, 36.515] }, { tollPlaza: '堂邑', at: [115.82, 36.505] }, J.g309Tangyi],
  },
  {
    key: 'g20-exit-guanxian',
    name: 'G20 冠县出口连接线（示例）',
    ref: null,
    class: 'secondary',
    exitOf: 'G20',
    waypoints: [{ snapTo: 'g20', near: [115.43, 36.52] }, { tollPlaza: '冠县', at: [115.435, 36.508] }, SEAT.guanxian],
  },
  {
    key: 'g0321-exit-gaotang',
    name: 'G0321 高唐出口连接线（示例）',
    ref: null,
    class: 'secondary',
    exitOf: 'G0321',
    waypoints: [{ snapTo: 'g0321', near: [116.05, 36.8] }, { tollPlaza: '高唐', at: [116.07, 36.81] }, J.g308West],
  },
  {
    key: 'g0321-exit-liaocheng-east',
    name: 'G0321 聊城东出口连接线（示例）',
    ref: null,
    class: 'secondary',
    exitOf: 'G0321',
    waypoints: [{ snapTo: 'g0321', near: [116.1, 36.46] }, { tollPlaza: '聊城东', at: [116.085, 36.458] }, J.dongchangEast],
  },
  {
    key: 'g0321-exit-yanggu',
    name: 'G0321 阳谷出口连接线（示例）',
    ref: null,
    class: 'secondary',
    exitOf: 'G0321',
    waypoints: [{ snapTo: 'g0321', near: [115.86, 36.16] }, { tollPlaza: '阳谷', at: [115.859, 36.152] }, { snapTo: 'yanggu-donge', near: [115.858, 36.1437] }],
  },
  {
    key: 'g22-exit-donge',
    name: 'G22 东阿出口连接线（示例）',
    ref: null,
    class: 'secondary',
    exitOf: 'G22',
    waypoints: [{ snapTo: 'g22', near: [116.22, 36.3] }, { tollPlaza: '东阿', at: [116.23, 36.312] }, SEAT.donge],
  },
  {
    key: 'g22-exit-liaocheng-south',
    name: 'G22 聊城南出口连接线（示例）',
    ref: null,
    class: 'secondary',
    exitOf: 'G22',
    waypoints: [{ snapTo: 'g22', near: [116.0, 36.32] }, { tollPlaza: '聊城南', at: [115.995, 36.327] }, J.g105South],
  },
  {
    key: 'g22-exit-shenxian',
    name: 'G22 莘县出口连接线（示例）',
    ref: null,
    class: 'secondary',
    exitOf: 'G22',
    waypoints: [{ snapTo: 'g22', near: [115.68, 36.3] }, { tollPlaza: '莘县', at: [115.677, 36.285] }, SEAT.shenxian],
  },

  // ── National roads (trunk). ──
  {
    // From 平原 (德州) in the north through 高唐, 茌平, the east of the city and 阳谷 to 台前 (河南).
    key: 'g105',
    name: 'G105 京澳线',
    ref: 'G105',
    class: 'trunk',
    waypoints: [[116.34, 37.06], [116.29, 36.95], [116.25, 36.89], SEAT.gaotang, [116.245, 36.75], [116.255, 36.66], SEAT.chiping, [116.2, 36.55], [116.12, 36.51], J.xinghuaEast, J.dongchangEast, J.jiansheEast, [116.04, 36.38], J.g105South, [115.95, 36.29], [115.86, 36.2], SEAT.yanggu, [115.8, 36.06], [115.83, 36.0], [115.85, 35.96]],
    outside: { start: DEZHOU('平原', 'Pingyuan'), end: { zh: '河南濮阳（台前）', en: 'Puyang, Henan (Taiqian)' } },
  },
  {
    // From 禹城 (德州) in the east through 高唐 to 临清 and across the 卫运河 to 临西 (河北).
    key: 'g308',
    name: 'G308 青石线',
    ref: 'G308',
    class: 'trunk',
    waypoints: [[116.47, 36.86], [116.35, 36.85], SEAT.gaotang, J.g308West, [115.95, 36.835], [115.82, 36.835], SEAT.linqing, [115.66, 36.85]],
    outside: { start: DEZHOU('禹城', 'Yucheng'), end: { zh: '河北邢台（临西）', en: 'Xingtai, Hebei (Linxi)' } },
  },
  {
    // From 平阴 (济南) across the Yellow River to 东阿 and on to the east of the city.
    key: 'g309-east',
    name: 'G309 荣兰线',
    ref: 'G309',
    class: 'trunk',
    waypoints: [[116.36, 36.26], [116.33, 36.3], SEAT.donge, [116.16, 36.39], J.dongchangEast],
    outside: { start: { zh: '济南（平阴）', en: 'Jinan (Pingyin)' } },
  },
  {
    // From the west of the city through 堂邑 and 冠县 to 馆陶 (河北).
    key: 'g309-west',
    name: 'G309 荣兰线',
    ref: 'G309',
    class: 'trunk',
    waypoints: [J.dongchangWest, J.g309Tangyi, [115.65, 36.48], SEAT.guanxian, [115.36, 36.49], [115.22, 36.51]],
    outside: { end: { zh: '河北邯郸（馆陶）', en: 'Handan, Hebei (Guantao)' } },
  },

  // ── Links between the city and the county seats, and between seats (numbers not known: named by the places they join). ──
  {
    // North from 柳园路 through 梁水镇 (the northern lobe of 东昌府区) to 临清.
    key: 'liaocheng-linqing',
    name: '聊城—临清公路（示例）',
    ref: null,
    class: 'primary',
    waypoints: [J.liuyuanNorth, [115.89, 36.6], [115.83, 36.7], [115.76, 36.8], SEAT.linqing],
  },
  {
    key: 'liaocheng-shenxian-north',
    name: '聊城—莘县公路（示例）',
    ref: null,
    class: 'primary',
    waypoints: [J.liuyuanSouth, J.bridgeNorth],
  },
  {
    // A short bridge with a sample 20 t limit, so truck routing has a weight restriction to honour.
    key: 'liaocheng-shenxian-bridge',
    name: '聊城—莘县公路（示例限重桥）',
    ref: null,
    class: 'primary',
    waypoints: [J.bridgeNorth, J.bridgeSouth],
    maxWeightT: 20,
    note: 'sample restriction: 20 t weight limit invented to exercise truck routing; not a real bridge rating',
  },
  {
    key: 'liaocheng-shenxian-south',
    name: '聊城—莘县公路（示例）',
    ref: null,
    class: 'primary',
    waypoints: [J.bridgeSouth, [115.86, 36.36], [115.76, 36.29], SEAT.shenxian],
  },
  {
    key: 'donge-chiping',
    name: '东阿—茌平公路（示例）',
    ref: null,
    class: 'secondary',
    waypoints: [SEAT.donge, [116.26, 36.45], SEAT.chiping],
  },
  {
    key: 'guanxian-shenxian',
    name: '冠县—莘县公路（示例）',
    ref: null,
    class: 'secondary',
    waypoints: [SEAT.guanxian, [115.53, 36.38], [115.62, 36.29], SEAT.shenxian],
  },
  {
    key: 'guanxian-linqing',
    name: '冠县—临清公路（示例）',
    ref: null,
    class: 'secondary',
    waypoints: [SEAT.guanxian, [115.52, 36.62], [115.62, 36.74], SEAT.linqing],
  },
  {
    key: 'shenxian-yanggu',
    name: '莘县—阳谷公路（示例）',
    ref: null,
    class: 'secondary',
    waypoints: [SEAT.shenxian, [115.73, 36.17], SEAT.yanggu],
  },
  {
    key: 'yanggu-donge',
    name: '阳谷—东阿公路（示例）',
    ref: null,
    class: 'secondary',
    waypoints: [SEAT.yanggu, [115.98, 36.2], [116.12, 36.28], SEAT.donge],
  },

  // ── Roads from county seats across the city boundary (each gets one inbound checkpoint). ──
  {
    key: 'linqing-xiajin',
    name: '临清—夏津公路（示例）',
    ref: null,
    class: 'secondary',
    waypoints: [SEAT.linqing, [115.74, 36.88], [115.78, 36.95]],
    outside: { end: DEZHOU('夏津', 'Xiajin') },
  },
  {
    key: 'gaotang-xiajin',
    name: '高唐—夏津公路（示例）',
    ref: null,
    class: 'secondary',
    waypoints: [SEAT.gaotang, [116.17, 36.89], [116.14, 36.95]],
    outside: { end: DEZHOU('夏津', 'Xiajin') },
  },
  {
    key: 'chiping-qihe',
    name: '茌平—齐河公路（示例）',
    ref: null,
    class: 'secondary',
    waypoints: [SEAT.chiping, [116.35, 36.6], [116.47, 36.61]],
    outside: { end: DEZHOU('齐河', 'Qihe') },
  },
  {
    key: 'donge-changqing',
    name: '东阿—长清公路（示例）',
    ref: null,
    class: 'secondary',
    waypoints: [SEAT.donge, [116.4, 36.4], [116.58, 36.45]],
    outside: { end: { zh: '济南（长清）', en: 'Jinan (Changqing)' } },
  },
  {
    key: 'shenxian-fanxian',
    name: '莘县—范县公路（示例）',
    ref: null,
    class: 'secondary',
    waypoints: [SEAT.shenxian, [115.62, 36.1], [115.56, 35.98], [115.535, 35.93], [115.52, 35.86]],
    outside: { end: { zh: '河南濮阳（范县）', en: 'Puyang, Henan (Fanxian)' } },
  },
  {
    key: 'shenxian-daming',
    name: '莘县—大名公路（示例）',
    ref: null,
    class: 'secondary',
    waypoints: [SEAT.shenxian, [115.52, 36.22], [115.42, 36.2]],
    outside: { end: { zh: '河北邯郸（大名）', en: 'Handan, Hebei (Daming)' } },
  },
  {
    key: 'guanxian-daming',
    name: '冠县—大名公路（示例）',
    ref: null,
    class: 'secondary',
    waypoints: [SEAT.guanxian, [115.38, 36.42], [115.29, 36.38]],
    outside: { end: { zh: '河北邯郸（大名）', en: 'Handan, Hebei (Daming)' } },
  },

  // ── Central 东昌府区: a schematic grid of arterials (positions within about 1–2 km). ──
  { key: 'xinghua-road', name: '兴华路', ref: null, class: 'primary', waypoints: [[115.915, 36.478], J.xinghuaEast] },
  { key: 'dongchang-west-road', name: '东昌西路', ref: null, class: 'primary', waypoints: [J.dongchangWest, J.dongchangMid] },
  { key: 'dongchang-east-road', name: '东昌东路', ref: null, class: 'primary', waypoints: [J.dongchangMid, J.dongchangEast] },
  // Drawn through the 东昌府区 seat (the package's `cp` point) so the seat is on the network.
  { key: 'jianshe-road', name: '建设路', ref: null, class: 'secondary', waypoints: [[115.935, 36.434669], SEAT.dongchangfu, J.jiansheEast] },
  { key: 'liuyuan-road', name: '柳园路', ref: null, class: 'secondary', waypoints: [J.liuyuanSouth, J.liuyuanNorth] },
  { key: 'huayuan-road', name: '花园路', ref: null, class: 'secondary', waypoints: [[115.978, 36.41], J.huayuanNorth] },
  {
    // Past the old town: closed to trucks in this sample so routing has a no-trucks street to avoid.
    key: 'guangyue-road',
    name: '光岳路',
    ref: null,
    class: 'tertiary',
    waypoints: [[116.005, 36.415], [116.005, 36.495]],
    noTrucks: true,
    note: 'sample restriction: no trucks, invented to exercise truck routing',
  },
];

/** Where a road crosses into the city, and the checkpoint site on it. */
export interface BorderEntry {
  roadKey: string;
  ref: string | null;
  name: string;
  end: 'start' | 'end';
  from: Place;
  /** Where the road crosses the city boundary. */
  crossing: LonLat;
  /** The checkpoint site: on the road, one of ENTRY_OFFSETS_KM inside the boundary (a node of the network). */
  position: LonLat;
  /** Distance from the crossing to the site along the road, km. */
  offsetKm: number;
  /** Bearing of travel into the city at the site, degrees clockwise from north. */
  bearing: number;
}

/** A toll plaza at the end of an exit link: where an expressway checkpoint sits. */
export interface TollPlaza {
  roadKey: string;
  station: string;
  motorwayRef: string;
  position: LonLat;
  /** Bearing of travel along the exit link towards the plaza. */
  bearing: number;
}

/** How far inside the boundary a border checkpoint is placed, in km; shorter fall-backs if the road leaves again. */
export const ENTRY_OFFSETS_KM = [0.5, 0.3, 0.15];

/** Snapped and computed points are written with 6 decimals (~0.1 m), like the hand-placed ones. */
const roundLonLat = ([lon, lat]: LonLat): LonLat => [round6(lon), round6(lat)];

type CityArea = Feature<MultiPolygon>;

const isInside = (area: CityArea, position: LonLat) => turf.booleanPointInPolygon(position, area);

/** Puts a point snapped onto `coords` into it as a vertex (or reuses a vertex within 0.1 m) and returns it. */
function snapOnto(coords: LonLat[], near: LonLat): LonLat {
  const nearest = turf.nearestPointOnLine(turf.lineString(coords), near);
  const point = roundLonLat(nearest.geometry.coordinates as LonLat);
  const existing = coords.find((v) => Math.abs(v[0] - point[0]) < 1e-6 && Math.abs(v[1] - point[1]) < 1e-6);
  if (existing) return existing;
  const segment = nearest.properties.segmentIndex as number;
  coords.splice(segment + 1, 0, point);
  return point;
}

/** Resolves every road's waypoints to coordinates, inserting snapped junctions into their target roads. */
export function resolveRoads(specs: RoadSpec[]): { coords: Map<string, LonLat[]>; tollPlazas: TollPlaza[] } {
  const coords = new Map<string, LonLat[]>();
  const tollPlazas: TollPlaza[] = [];
  const pending = [...specs];
  while (pending.length > 0) {
    const index = pending.findIndex((spec) =>
      spec.waypoints.every((w) => Array.isArray(w) || !('snapTo' in w) || coords.has(w.snapTo)),
    );
    if (index < 0) throw new Error(`cannot resolve snaps of ${pending.map((s) => s.key).join(', ')}`);
    const [spec] = pending.splice(index, 1);
    const line: LonLat[] = spec.waypoints.map((w): LonLat => {
      if (Array.isArray(w)) return w;
      if ('snapTo' in w) return snapOnto(coords.get(w.snapTo)!, w.near);
      return w.at;
    });
    coords.set(spec.key, line);
    spec.waypoints.forEach((w, i) => {
      if (!Array.isArray(w) && 'tollPlaza' in w) {
        if (!spec.exitOf) throw new Error(`${spec.key}: a toll plaza needs exitOf`);
        tollPlazas.push({
          roadKey: spec.key,
          station: w.tollPlaza,
          motorwayRef: spec.exitOf,
          position: w.at,
          bearing: turf.bearing(line[i - 1], line[i]),
        });
      }
    });
  }
  return { coords, tollPlazas };
}

/** Finds where a road enters the city from its outside end and inserts the checkpoint site as a vertex. */
function insertBorderEntry(spec: RoadSpec, line: LonLat[], end: 'start' | 'end', area: CityArea): BorderEntry {
  const from = spec.outside?.[end];
  if (!from) throw new Error(`${spec.key}: no origin for the ${end}`);
  const walk = end === 'start' ? line : [...line].reverse();
  const firstInside = walk.findIndex((v) => isInside(area, v));
  if (firstInside <= 0) throw new Error(`${spec.key}: the ${end} is not outside the city, or the road never enters it`);
  const crossings = boundaryCrossings(walk[firstInside - 1], walk[firstInside], area);
  const crossing = crossings[crossings.length - 1];
  if (!crossing) throw new Error(`${spec.key}: no boundary crossing found`);
  const path: LonLat[] = [crossing, ...walk.slice(firstInside)];
  for (const offsetKm of ENTRY_OFFSETS_KM) {
    const { point, segment } = alongWithSegment(path, offsetKm);
    const position = roundLonLat(point);
    const stretch = [0.2, 0.4, 0.6, 0.8, 1].map((f) => alongWithSegment(path, offsetKm * f).point);
    if (!isInside(area, position) || !stretch.every((p) => isInside(area, p))) continue;
    // path[s]..path[s+1] is walk[firstInside-1+s]..walk[firstInside+s] (path[0] is the crossing).
    const insertAt = firstInside + segment;
    walk.splice(insertAt, 0, position);
    if (end === 'end') {
      line.length = 0;
      line.push(...walk.reverse());
    }
    return {
      roadKey: spec.key,
      ref: spec.ref,
      name: spec.name,
      end,
      from,
      crossing: roundLonLat(crossing),
      position,
      offsetKm,
      bearing: turf.bearing(crossing, position),
    };
  }
  throw new Error(`${spec.key}: no checkpoint site inside the boundary near the ${end}`);
}

/** The noded network with its checkpoint sites. */
export interface RoadNetwork {
  roads: FeatureCollection<LineString, RoadProperties>;
  entries: BorderEntry[];
  tollPlazas: TollPlaza[];
  /** Places where an at-grade road passes under or over an expressway without a junction. */
  gradeSeparatedCrossings: number;
}

/** Builds the noded sample network; throws if it is not one connected graph or breaks a rule. */
export function buildRoadNetwork(city: CityArea, specs: RoadSpec[] = ROADS): RoadNetwork {
  const { coords, tollPlazas } = resolveRoads(specs);
  const entries: BorderEntry[] = [];
  for (const spec of specs) {
    const line = coords.get(spec.key)!;
    for (const end of ['start', 'end'] as const) {
      const position = end === 'start' ? line[0] : line[line.length - 1];
      const outside = !isInside(city, position);
      if (outside !== Boolean(spec.outside?.[end])) {
        throw new Error(`${spec.key}: the ${end} is ${outside ? 'outside' : 'inside'} the city but ${outside ? 'has no' : 'has an'} origin`);
      }
    }
    // Expressways get no border checkpoint: the national guideline puts them at toll exits.
    if (spec.class === 'motorway' || spec.exitOf) continue;
    for (const end of ['start', 'end'] as const) {
      if (spec.outside?.[end]) entries.push(insertBorderEntry(spec, line, end, city));
    }
  }
  for (const plaza of tollPlazas) {
    if (!isInside(city, plaza.position)) throw new Error(`toll plaza ${plaza.station} is outside the city`);
  }

  const lines = specs.map((spec) => ({ coords: coords.get(spec.key)!, gradeSeparated: spec.class === 'motorway' }));
  const noded = insertCrossings(lines);
  const edges = nodeRoadLines(
    noded.map((coordinates, lineIndex) => ({ coordinates, props: lineIndex })),
    { junctions: [...entries.map((e) => e.position), ...tollPlazas.map((t) => t.position)] },
  ).map((edge) => ({ lineIndex: edge.props, coords: edge.coordinates }));

  for (const edge of edges) {
    const distinct = new Set(edge.coords.map(positionKey));
    if (distinct.size < 2) throw new Error(`degenerate edge on ${specs[edge.lineIndex].key}`);
  }
  const components = connectedComponents(edges);
  if (components.length !== 1) {
    throw new Error(
      `road network is not connected: ${components.length} components; smaller ones at ${components
        .slice(1)
        .map((c) => c[0])
        .join(' | ')}`,
    );
  }
  const endpoints = new Set(edges.flatMap((e) => [positionKey(e.coords[0]), positionKey(e.coords[e.coords.length - 1])]));
  for (const site of [...entries.map((e) => e.position), ...tollPlazas.map((t) => t.position)]) {
    if (!endpoints.has(positionKey(site))) throw new Error(`checkpoint site ${site} is not a network node`);
  }

  // An exit link may touch its expressway only at the interchange; crossing any expressway elsewhere is a drawing error.
  let gradeSeparatedCrossings = 0;
  specs.forEach((spec, i) => {
    if (spec.class === 'motorway') return;
    specs.forEach((other, j) => {
      if (other.class !== 'motorway') return;
      const a = noded[i];
      const b = noded[j];
      for (let s = 0; s < a.length - 1; s += 1) {
        for (let k = 0; k < b.length - 1; k += 1) {
          const hit = segmentIntersection(a[s], a[s + 1], b[k], b[k + 1]);
          if (hit === null || hit === 'overlap') continue;
          const atSharedVertex = [a[s], a[s + 1]].some((v) => b.some((w) => positionKey(v) === positionKey(w)));
          if (atSharedVertex) continue;
          if (spec.exitOf) throw new Error(`${spec.key} crosses ${other.key} away from its interchange`);
          gradeSeparatedCrossings += 1;
        }
      }
    });
  });

  const features = edges.map((edge, index): Feature<LineString, RoadProperties> => {
    const spec = specs[edge.lineIndex];
    const id = `rd-${String(index + 1).padStart(4, '0')}`;
    return {
      type: 'Feature',
      id,
      properties: {
        id,
        roadKey: spec.key,
        name: spec.name,
        ref: spec.ref,
        class: spec.class,
        speedKmh: DEFAULT_SPEED_KMH[spec.class],
        oneway: false,
        maxHeightM: spec.maxHeightM ?? null,
        maxWeightT: spec.maxWeightT ?? null,
        noTrucks: spec.noTrucks ?? false,
        link: Boolean(spec.exitOf),
        sample: true,
        approximate: true,
        note: spec.note ?? null,
      },
      geometry: { type: 'LineString', coordinates: edge.coords },
    };
  });
  return { roads: { type: 'FeatureCollection', features }, entries, tollPlazas, gradeSeparatedCrossings };
}

/** Reads the city boundary written by build-regions.ts. */
export function readCityArea(): CityArea {
  return readGeodata<FeatureCollection<MultiPolygon>>(OUTPUT.cityBoundary).features[0];
}

function main(): void {
  const network = buildRoadNetwork(readCityArea());
  assertInServiceArea('roads', network.roads.features.flatMap((f) => f.geometry.coordinates));
  writeGeodata(OUTPUT.roads, network.roads);
  const km = network.roads.features.reduce((sum, f) => sum + turf.length(f), 0);
  console.log(
    `roads: ${ROADS.length} roads noded into ${network.roads.features.length} edges, ${km.toFixed(0)} km, one connected component; ` +
      `${network.entries.length} border entries, ${network.tollPlazas.length} toll plazas, ` +
      `${network.gradeSeparatedCrossings} expressway over/underpasses without a junction`,
  );
}

if (isMainModule(import.meta.url)) main();
