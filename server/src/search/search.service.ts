import { bbox as turfBbox, pointOnFeature } from '@turf/turf';
import { pinyin } from 'pinyin-pro';
import type { Database } from '../db/database';
import type { PublicSnapshot } from '../public/public.service';
import { REFERENCE_CHANGED } from '../public/lookup-reference';
import { COORDINATE_SYSTEMS, parseTypedPosition, toWgs84, type CoordinateSystem } from './coordinates';
import { searchRepo } from './search.repo';
import { townships } from './townships';

/** What a search result is; the client offers them in this order when their scores tie. */
export const SEARCH_RESULT_TYPES = ['coordinates', 'zone', 'township', 'county', 'hospital', 'checkpoint'] as const;
export type SearchResultType = (typeof SEARCH_RESULT_TYPES)[number];

/** One place the search offers. */
export interface SearchResult {
  type: SearchResultType;
  /** Zone, facility or checkpoint id; township or county code; `wgs84`/`gcj02`/`bd09` for coordinates. */
  id: string;
  name: string;
  /** The county it lies in (townships, zones, hospitals, checkpoints), when known. */
  county: string | null;
  countyCode: string | null;
  /** A point inside it, WGS84 (for a lookup); null for a township, whose outline is unknown. */
  point: [number, number] | null;
  /** Its extent [minLon, minLat, maxLon, maxLat] for the camera; a township gets its county's. */
  bbox: [number, number, number, number] | null;
  zoneKind?: string;
  facilityKind?: string;
  /** Coordinates only: the system the numbers were read in, and whether they came latitude first. */
  crs?: CoordinateSystem;
  swapped?: boolean;
  sample?: boolean;
  approximate?: boolean;
  /** How well it matched (higher first); see `matchScore`. */
  score: number;
}

interface Entry {
  result: Omit<SearchResult, 'score'>;
  /** The forms the query is compared with: the name, a short name, codes. */
  names: string[];
  codes: string[];
  initials: string;
  spelled: string;
}

/** Township and county suffixes a resident often leaves out ("古楼" for 古楼街道). */
const SUFFIX = /(街道办事处|街道|办事处|服务中心|镇|乡|区|县|市)$/u;

const normalise = (text: string) => text.normalize('NFKC').toLowerCase().replace(/[\s·・,，()（）-]+/gu, '');

function entryOf(result: Omit<SearchResult, 'score'>, codes: string[] = []): Entry {
  const name = normalise(result.name);
  const short = name.replace(SUFFIX, '');
  // Readings of the name: "glj" and "gulou" both find 古楼街道.
  const initials = pinyin(result.name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').toLowerCase();
  const spelled = pinyin(result.name, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').toLowerCase();
  return { result, names: short && short !== name ? [name, short] : [name], codes, initials: normalise(initials), spelled: normalise(spelled) };
}

/** True when every character of `query` appears in `name` in order, at most `missing` of them left out. */
function inOrder(query: string, name: string, missing: number): boolean {
  let at = 0;
  let skipped = 0;
  for (const ch of query) {
    const found = name.indexOf(ch, at);
    if (found < 0) {
      if (++skipped > missing) return false;
      continue;
    }
    at = found + ch.length;
  }
  return true;
}

/**
 * How well `query` (normalised) names an entry, 0 for not at all. Exact name or code 100, code prefix 95, name
 * prefix 80, inside the name 60, pinyin initials or full pinyin 50/45 (prefix) and 40/35
 * (inside), the query's characters in order with one left out or one wrong 25.
 */
export function matchScore(query: string, entry: Entry): number {
  if (!query) return 0;
  let best = 0;
  for (const name of entry.names) {
    if (name === query) best = Math.max(best, 100);
    else if (name.startsWith(query)) best = Math.max(best, 80);
    else if (name.includes(query)) best = Math.max(best, 60);
  }
  if (/^\d{4,}$/.test(query)) {
    if (entry.codes.includes(query)) best = Math.max(best, 100);
    else if (entry.codes.some((code) => code.startsWith(query))) best = Math.max(best, 95);
  }
  if (/^[a-z]+$/.test(query)) {
    if (entry.initials.startsWith(query)) best = Math.max(best, 50);
    else if (query.length >= 2 && entry.initials.includes(query)) best = Math.max(best, 40);
    if (query.length >= 2 && entry.spelled.startsWith(query)) best = Math.max(best, 45);
    else if (query.length >= 3 && entry.spelled.includes(query)) best = Math.max(best, 35);
  }
  if (best === 0 && /\p{Script=Han}/u.test(query) && [...query].length >= 3) {
    // A character missing ("古楼道") or mistyped ("古搂街道"): all but one appear in order.
    if (entry.names.some((name) => inOrder(query, name, 1))) best = 25;
  }
  return best;
}

/** The most results one search answers. */
export const SEARCH_LIMIT = 12;

/**
 * The public search: zones in force, counties, townships (names and codes, from
 * geodata/townships.json), designated hospitals and clinics, checkpoints, and typed coordinates.
 * Everything is small (a few hundred names besides the zones), so it is held in memory and
 * matched in the process; the zones' part is rebuilt when the map changes, the rest when the
 * reference data do (REFERENCE_CHANGED) or every 5 minutes.
 */
export function searchService(db: Database, deps: { zones: () => Promise<PublicSnapshot> }) {
  const repo = searchRepo(db.reader);
  let places: Promise<Entry[]> | null = null;
  let placesLoadedAt = 0;
  let zoneEntries: { key: PublicSnapshot; entries: Entry[] } | null = null;
  const listening = db.listen(REFERENCE_CHANGED, () => {
    places = null;
  });

  const loadPlaces = async (): Promise<Entry[]> => {
    const [counties, hospitals, checkpoints] = await Promise.all([repo.counties(), repo.hospitals(), repo.checkpoints()]);
    const boxes = new Map(counties.map((c) => [c.code, [Number(c.minx), Number(c.miny), Number(c.maxx), Number(c.maxy)] as [number, number, number, number]]));
    const entries: Entry[] = [];
    for (const c of counties) {
      entries.push(entryOf({ type: 'county', id: c.code, name: c.name, county: c.name, countyCode: c.code, point: [Number(c.lon), Number(c.lat)], bbox: boxes.get(c.code) ?? null }, [c.code]));
    }
    for (const t of townships()) {
      entries.push(entryOf({ type: 'township', id: t.code, name: t.name, county: t.county, countyCode: t.countyCode, point: null, bbox: boxes.get(t.countyCode) ?? null }, [t.code]));
    }
    for (const h of hospitals) {
      entries.push(
        entryOf({ type: 'hospital', id: h.id, name: h.name, county: null, countyCode: null, point: [Number(h.lon), Number(h.lat)], bbox: null, facilityKind: h.kind, approximate: h.approximate, sample: h.sample }),
      );
    }
    for (const c of checkpoints) {
      entries.push(entryOf({ type: 'checkpoint', id: c.id, name: c.name, county: null, countyCode: null, point: [Number(c.lon), Number(c.lat)], bbox: null, sample: c.sample }));
    }
    return entries;
  };

  const placeEntries = () => {
    if (!places || Date.now() - placesLoadedAt > 5 * 60_000) {
      placesLoadedAt = Date.now();
      const loading = loadPlaces();
      places = loading;
      loading.catch(() => {
        if (places === loading) places = null;
      });
    }
    return places;
  };

  const zonesOf = (snap: PublicSnapshot): Entry[] => {
    if (zoneEntries?.key === snap) return zoneEntries.entries;
    const entries = snap.features.map((f) => {
      const [lon, lat] = pointOnFeature(f).geometry.coordinates as [number, number];
      const [a, b, c, d] = turfBbox(f.geometry);
      return entryOf({
        type: 'zone',
        id: f.properties.id,
        name: f.properties.name,
        county: null,
        countyCode: null,
        point: [lon, lat],
        bbox: [a, b, c, d],
        zoneKind: f.properties.kind,
        sample: f.properties.sample,
      });
    });
    zoneEntries = { key: snap, entries };
    return entries;
  };

  return {
    /** The places matching `text`, best first (at most SEARCH_LIMIT). */
    async search(text: string): Promise<SearchResult[]> {
      const typed = parseTypedPosition(text);
      if (typed) {
        // The same numbers read in each system: the resident says which app they came from.
        return COORDINATE_SYSTEMS.map((crs) => {
          const { lon, lat } = toWgs84(typed.lon, typed.lat, crs);
          const point: [number, number] = [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
          return { type: 'coordinates' as const, id: crs, name: `${typed.lon}, ${typed.lat}`, county: null, countyCode: null, point, bbox: null, crs, swapped: typed.swapped, score: 100 };
        });
      }
      const query = normalise(text);
      if (!query) return [];
      await listening;
      const [fixed, snap] = await Promise.all([placeEntries(), deps.zones()]);
      const scored: SearchResult[] = [];
      for (const entry of [...zonesOf(snap), ...fixed]) {
        const score = matchScore(query, entry);
        if (score > 0) scored.push({ ...entry.result, score });
      }
      scored.sort(
        (a, b) =>
          b.score - a.score ||
          SEARCH_RESULT_TYPES.indexOf(a.type) - SEARCH_RESULT_TYPES.indexOf(b.type) ||
          a.name.length - b.name.length ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );
      return scored.slice(0, SEARCH_LIMIT);
    },
  };
}
export type SearchService = ReturnType<typeof searchService>;
