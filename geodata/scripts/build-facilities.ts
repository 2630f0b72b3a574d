/**
 * Builds geodata/facilities.geojson (the 10 designated hospitals of seed 000 plus clearly marked
 * sample facilities) and geodata/hotlines.json (the township reporting hotline table of seed 000).
 *
 * Names, addresses and phone numbers are quoted exactly from seed 000. No geocoder was available:
 * every point is placed by hand or at a county seat, and says how in its `placement`.
 *
 * Run after build-regions.ts: npx tsx geodata/scripts/build-facilities.ts
 */
import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson';
import { OUTPUT, assertInServiceArea, isMainModule, readGeodata, round6, writeGeodata, type LonLat } from './common';
import type { RegionProperties } from './build-regions';

/** Facility kinds, as the API names them (see notes/api.md). */
export type FacilityKind =
  | 'designated_hospital'
  | 'yellow_code_hospital'
  | 'fangcang'
  | 'isolation_site'
  | 'fever_clinic';

/** Properties of one facility feature. */
export interface FacilityProperties {
  id: string;
  kind: FacilityKind;
  name: string;
  address: string | null;
  /** The seed's contact text, verbatim. */
  phone: string | null;
  /** The same numbers one by one, with the area code written out (see parsePhones). */
  phones: string[];
  beds: number | null;
  rooms: number | null;
  /** Code of the county-level division the point is placed in. */
  countyCode: string;
  approximate: true;
  placement: string;
  sample: boolean;
  source: string;
  note?: string;
}

const SEED_000 = 'seed 000';

/** How far hand-placed points can be off; repeated in every `placement`. */
const HAND_PLACED =
  'placed by hand at the described street from general knowledge (no geocoder was available); accuracy about 1–3 km';
const AT_SEAT =
  'placed at the county seat (the `seat` point of regions.geojson): the street address was not located; accuracy a few km';

/**
 * Splits a seed phone cell into numbers. "0635-4220844/4222519" means two lines sharing the
 * area code; "0635--7321046" is a typing slip for "0635-7321046".
 */
export function parsePhones(text: string): string[] {
  const normalised = text.replace(/-{2,}/g, '-');
  const parts = normalised.split('/').map((part) => part.trim()).filter(Boolean);
  const areaCode = /^(0\d{2,3})-/.exec(parts[0] ?? '')?.[1];
  return parts.map((part) => (areaCode && /^\d{7,8}$/.test(part) ? `${areaCode}-${part}` : part));
}

interface HospitalRow {
  id: string;
  /** 医院名称, verbatim. */
  name: string;
  /** 地址, verbatim. */
  address: string;
  /** 对外联系方式, verbatim. */
  phone: string;
  countyCode: string;
  /** A hand-placed point, or null to place the hospital at its county seat. */
  point: LonLat | null;
  why: string;
}

/**
 * Seed 000, the table after "定点医院扩大至10家，救治床位总数达1969张", in the seed's order.
 * The three hospitals in central Liaocheng are placed by hand; the county hospitals at their
 * county seats, because their streets could not be located without a geocoder.
 */
export const DESIGNATED_HOSPITALS: HospitalRow[] = [
  {
    id: 'hosp-liaocheng-peoples',
    name: '聊城市人民医院',
    address: '聊城市东昌府区东昌西路67号',
    phone: '0635-8276627',
    countyCode: '371502',
    point: [115.972, 36.458],
    why: 'on 东昌西路 west of 东昌湖, central Liaocheng',
  },
  {
    id: 'hosp-liaocheng-peoples-gulou',
    name: '聊城市人民医院古楼分院(血液透析)',
    address: '聊城市东昌府区古楼南侧',
    phone: '13346252100',
    countyCode: '371502',
    point: [115.992, 36.452],
    why: 'south of 古楼 (光岳楼) in the old town on 东昌湖',
  },
  {
    id: 'hosp-liaocheng-infectious',
    name: '聊城市传染病医院',
    address: '聊城市东昌府区建设东路45号',
    phone: '0635-7076120',
    countyCode: '371502',
    point: [116.02, 36.434669],
    why: 'on the eastern part of 建设路 (建设东路), central Liaocheng',
  },
  {
    id: 'hosp-chiping-peoples',
    name: '聊城市茌平区人民医院',
    address: '茌平区振兴街道文化路1057号',
    phone: '0635-4220844/4222519',
    countyCode: '371503',
    point: null,
    why: '茌平区 seat (振兴街道)',
  },
  {
    id: 'hosp-linqing-peoples',
    name: '临清市人民医院',
    address: '临清市窑口街317号',
    phone: '0635-2313984',
    countyCode: '371581',
    point: null,
    why: '临清市 seat',
  },
  {
    id: 'hosp-guanxian-peoples',
    name: '冠县人民医院',
    address: '冠县冠宜春西路51号',
    phone: '0635-5266022',
    countyCode: '371525',
    point: null,
    why: '冠县 seat',
  },
  {
    id: 'hosp-shenxian-peoples',
    name: '莘县人民医院',
    address: '莘县幸福街303号',
    phone: '0635--7321046',
    countyCode: '371522',
    point: null,
    why: '莘县 seat',
  },
  {
    id: 'hosp-yanggu-peoples',
    name: '阳谷县人民医院',
    address: '阳谷县黄山路与黄河路交叉口',
    phone: '0635-5106120/6265120',
    countyCode: '371521',
    point: null,
    why: '阳谷县 seat',
  },
  {
    id: 'hosp-donge-peoples',
    name: '东阿县人民医院',
    address: '东阿县曙光街275号',
    phone: '15095006559',
    countyCode: '371524',
    point: null,
    why: '东阿县 seat',
  },
  {
    id: 'hosp-gaotang-peoples',
    name: '高唐县人民医院',
    address: '高唐县S520北侧，滨湖路西侧',
    phone: '0635-6028368',
    countyCode: '371526',
    point: null,
    why: '高唐县 seat',
  },
];

const BEDS_NOTE =
  'seed 000 gives only the total for all ten designated hospitals: 救治床位总数达1969张; the number per hospital is unknown';

/** Seed 002: "已启用集中隔离医学观察场所7个" in 高唐县 (固河镇 outbreak, 2022-03); no names, no places. */
const ISOLATION_NOTE =
  'seed 002 (2022-03-16): 高唐县 "已启用集中隔离医学观察场所7个" — seven central isolation sites were opened; their names and locations were not published. This point is a stand-in for the map.';

const FANGCANG_NOTE =
  'seed 000: "市方舱医院基本完工，设置床位2000张；…在方舱医院旁边，利用现有厂房再扩建2000张床位" — the fangcang hospital exists, its location is not given. Beds are the built 2,000 (another 2,000 planned).';

const FEVER_NOTE =
  'seed 000: "建设基层医疗卫生机构发热门诊138个" — 138 fever clinics were built at grassroots medical institutions; no list was published. One stand-in per county seat for the map.';

/** Sample fever clinics sit 600 m east and 400 m south of the seat so they don't hide the seat hospital. */
const FEVER_OFFSET: LonLat = [0.0067, -0.0036];

/** Ring of radius ~4 km around 高唐's seat for the seven sample isolation sites. */
const ISOLATION_RING_KM = 4;

type RegionFeature = Feature<MultiPolygon, RegionProperties>;

function seatOf(regions: RegionFeature[], code: string): LonLat {
  const region = regions.find((r) => r.properties.code === code);
  if (!region) throw new Error(`no region ${code}`);
  return region.properties.seat;
}

function pointFeature(position: LonLat, properties: FacilityProperties): Feature<Point, FacilityProperties> {
  return {
    type: 'Feature',
    id: properties.id,
    properties,
    geometry: { type: 'Point', coordinates: [round6(position[0]), round6(position[1])] },
  };
}

/** Builds the facilities FeatureCollection from the region seats. */
export function buildFacilities(regions: RegionFeature[]): FeatureCollection<Point, FacilityProperties> {
  const features: Feature<Point, FacilityProperties>[] = [];

  for (const row of DESIGNATED_HOSPITALS) {
    const position = row.point ?? seatOf(regions, row.countyCode);
    features.push(
      pointFeature(position, {
        id: row.id,
        kind: 'designated_hospital',
        name: row.name,
        address: row.address,
        phone: row.phone,
        phones: parsePhones(row.phone),
        beds: null,
        rooms: null,
        countyCode: row.countyCode,
        approximate: true,
        placement: row.point ? `${HAND_PLACED}: ${row.why}` : `${AT_SEAT}: ${row.why}`,
        sample: false,
        source: SEED_000,
        note: BEDS_NOTE,
      }),
    );
  }

  const gaotangSeat = seatOf(regions, '371526');
  const kmPerDegreeLat = 110.95;
  const kmPerDegreeLon = kmPerDegreeLat * Math.cos((gaotangSeat[1] * Math.PI) / 180);
  for (let i = 0; i < 7; i += 1) {
    const angle = (2 * Math.PI * i) / 7;
    const position: LonLat = [
      gaotangSeat[0] + (ISOLATION_RING_KM * Math.sin(angle)) / kmPerDegreeLon,
      gaotangSeat[1] + (ISOLATION_RING_KM * Math.cos(angle)) / kmPerDegreeLat,
    ];
    features.push(
      pointFeature(position, {
        id: `iso-gaotang-sample-${i + 1}`,
        kind: 'isolation_site',
        name: `高唐县集中隔离点（示例${i + 1}）`,
        address: null,
        phone: null,
        phones: [],
        beds: null,
        rooms: null,
        countyCode: '371526',
        approximate: true,
        placement: `sample position: evenly spaced on a ${ISOLATION_RING_KM} km circle around the 高唐县 seat; not a real site`,
        sample: true,
        source: 'seed 002',
        note: ISOLATION_NOTE,
      }),
    );
  }

  features.push(
    pointFeature([116.035, 36.415], {
      id: 'fangcang-liaocheng-sample',
      kind: 'fangcang',
      name: '聊城市方舱医院（位置为示例）',
      address: null,
      phone: null,
      phones: [],
      beds: 2000,
      rooms: null,
      countyCode: '371502',
      approximate: true,
      placement: 'sample position on the south-eastern edge of central Liaocheng; the real site was not published in the seeds',
      sample: true,
      source: SEED_000,
      note: FANGCANG_NOTE,
    }),
  );

  for (const region of [...regions].sort((a, b) => a.properties.code.localeCompare(b.properties.code))) {
    const { code, name, seat } = region.properties;
    features.push(
      pointFeature([seat[0] + FEVER_OFFSET[0], seat[1] + FEVER_OFFSET[1]], {
        id: `fever-${code}-sample`,
        kind: 'fever_clinic',
        name: `${name}基层发热门诊（示例）`,
        address: null,
        phone: null,
        phones: [],
        beds: null,
        rooms: null,
        countyCode: code,
        approximate: true,
        placement: `sample position about 700 m south-east of the ${name} seat; not a real clinic`,
        sample: true,
        source: SEED_000,
        note: FEVER_NOTE,
      }),
    );
  }

  return { type: 'FeatureCollection', features };
}

/** One row of the township hotline table. */
export interface HotlineRow {
  id: string;
  /** The county-level division the row belongs to, as read (see `countyCell`). */
  county: string;
  /** The seed's county cell: the name on the first row, "" where the cell is merged, null where the row has no such cell. */
  countyCell: string | null;
  township: string;
  phones: string[];
  /** The seed's line, verbatim (tab-separated). */
  seedLine: string;
  approximatePoint: LonLat;
  approximate: true;
  placement: string;
  note?: string;
}

interface HotlineSource {
  seedLine: string;
  /** Hand-placed township seat, or null to use the 东昌府区 seat. */
  point: LonLat | null;
  why?: string;
}

/**
 * Seed 000, table 来聊人员疫情防控咨询报备电话一览表, line by line (tabs as in the seed).
 * Points are rough township seats from general knowledge, good enough only to suggest which
 * township's hotline to call; where the location is not known, the 东昌府区 seat is used.
 */
const HOTLINE_LINES: HotlineSource[] = [
  { seedLine: '东昌府区\t古楼街道办事处\t0635-8426860', point: [115.992, 36.455], why: 'old town on 东昌湖' },
  { seedLine: '\t新区街道办事处\t0635-8322019 0635-8327010', point: [115.99, 36.475], why: 'north of the old town' },
  { seedLine: '\t柳园街道办事处\t0635-8248889', point: [115.955, 36.462], why: 'around 柳园路, west of the centre' },
  { seedLine: '\t闫寺街道办事处\t0635-8711137', point: [115.89, 36.45], why: 'west of the city' },
  { seedLine: '\t道口铺街道办事处\t0635-7120601', point: null },
  { seedLine: '\t沙镇镇\t0635-8821025', point: [115.82, 36.35], why: 'south-west of the city, towards 莘县' },
  { seedLine: '\t斗虎屯镇\t0635-8781039', point: [115.93, 36.32], why: 'south of the city, towards 阳谷' },
  { seedLine: '\t侯营镇\t0635-8561017', point: [115.78, 36.41], why: 'west of the city, towards 冠县' },
  { seedLine: '\t堂邑镇\t0635-8651017', point: [115.82, 36.475], why: 'west of the city on the road to 冠县' },
  { seedLine: '\t梁水镇\t0635-6051600 0635-6051613', point: [115.86, 36.6], why: 'north of the city, towards 临清' },
  { seedLine: '\t张炉集镇\t0635-5100800', point: null },
  { seedLine: '\t郑家镇\t0635-7117199', point: null },
  { seedLine: '\t广平镇\t0635-4652008', point: null },
  { seedLine: '\t韩集镇\t0635-4633016 0635-7111685', point: null },
  { seedLine: '\t香江光彩大市场\t0635-2999213', point: [116.02, 36.455], why: 'wholesale market in the eastern part of the city' },
  { seedLine: '嘉明经济开发区\t0635-6196016\t', point: null },
];

const HOTLINE_TITLE = '来聊人员疫情防控咨询报备电话一览表';

/** The 嘉明 row has no county cell: read as part of 东昌府区's block, where the seed prints it. */
const JIAMING_NOTE =
  'In the seed this row has no (merged) county cell: "嘉明经济开发区" stands in the first column and the number in the second. It is the last row of the block headed 东昌府区 and is read as belonging to it (嘉明经济开发区 lies in 东昌府区); township = 嘉明经济开发区.';

/** Builds hotlines.json from the seed lines. */
export function buildHotlines(regions: RegionFeature[]) {
  const dongchangfuSeat = seatOf(regions, '371502');
  let county = '';
  const rows: HotlineRow[] = HOTLINE_LINES.map((line, index) => {
    const cells = line.seedLine.split('\t');
    const id = `hotline-${String(index + 1).padStart(2, '0')}`;
    const placed = line.point
      ? { approximatePoint: line.point, placement: `township seat placed by hand from general knowledge (${line.why}); accuracy about 3–8 km` }
      : { approximatePoint: dongchangfuSeat, placement: 'township location not known: placed at the 东昌府区 seat' };
    if (cells.length === 3 && cells[0] === '嘉明经济开发区') {
      return {
        id,
        county,
        countyCell: null,
        township: cells[0],
        phones: cells[1].split(' '),
        seedLine: line.seedLine,
        ...placed,
        approximate: true as const,
        note: JIAMING_NOTE,
      };
    }
    if (cells[0] !== '') county = cells[0];
    return {
      id,
      county,
      countyCell: cells[0],
      township: cells[1],
      phones: cells[2].split(' '),
      seedLine: line.seedLine,
      ...placed,
      approximate: true as const,
    };
  });
  return {
    title: HOTLINE_TITLE,
    source: 'seed 000 (000_d635e2d634874dfb.txt), table "来聊人员疫情防控咨询报备电话一览表", quoted row by row',
    columns: { county: '县（市、区）', township: '乡镇（街道）', phones: '咨询报备电话' },
    note: 'The seed lists only 东昌府区 (and 嘉明经济开发区). approximatePoint is a rough township seat, used only to suggest the nearest township\'s hotline; it is not an office address. Phones are split where the seed separates two numbers with a space.',
    rows,
  };
}

function main(): void {
  const regions = readGeodata<FeatureCollection<MultiPolygon, RegionProperties>>(OUTPUT.regions).features;
  const facilities = buildFacilities(regions);
  const hotlines = buildHotlines(regions);
  assertInServiceArea('facilities', facilities.features.map((f) => f.geometry.coordinates));
  assertInServiceArea('hotlines', hotlines.rows.map((r) => r.approximatePoint));
  writeGeodata(OUTPUT.facilities, facilities);
  writeGeodata(OUTPUT.hotlines, hotlines);
  const byKind = new Map<string, number>();
  for (const f of facilities.features) byKind.set(f.properties.kind, (byKind.get(f.properties.kind) ?? 0) + 1);
  console.log(`facilities: ${[...byKind].map(([k, n]) => `${n} ${k}`).join(', ')}`);
  console.log(`hotlines: ${hotlines.rows.length} rows`);
}

if (isMainModule(import.meta.url)) main();
