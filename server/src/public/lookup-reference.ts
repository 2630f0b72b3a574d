import Flatbush from 'flatbush';
import { bbox as turfBbox, booleanIntersects, booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import type { ZoneKind } from '../expiry/editions';
import { RegionGrid } from './region-grid';

/** Channel on which any process announces that regions, facilities or hotlines changed. */
export const REFERENCE_CHANGED = 'reference_changed';

export interface Region {
  code: string;
  name: string;
  geometry: Polygon | MultiPolygon;
}
interface Hospital {
  id: string;
  name: string;
  address: string | null;
  phone: string | null;
  approximate: boolean;
  lon: number;
  lat: number;
}
interface Hotline {
  id: string;
  county: string;
  township: string;
  phones: string[];
  approximate: boolean;
  lon: number;
  lat: number;
}

/**
 * The reference data "am I in a zone?" needs besides the zones — eight county outlines, ten
 * hospitals, a few dozen hotlines — held in memory so that a lookup asks the database nothing.
 * They change rarely; writers announce it on REFERENCE_CHANGED and every process reloads.
 */
export class LookupReference {
  private readonly regionIndex: Flatbush;
  private readonly regionGrid: RegionGrid;
  /** Each region's `{ code, name }`, the same object for every lookup (its JSON text is kept by the service). */
  private readonly regionAnswers: { code: string; name: string }[];
  /** Each hospital's answer as JSON text up to its distance's value: `{"id":…,"distanceMeters":`. */
  private readonly hospitalTexts: string[];

  /** In order of id: the nearest hospitals at equal distances come in that order. */
  private readonly hospitals: Hospital[];
  /** The rows this reference was built from, as text: a reload that reads the same rows keeps it. */
  private rowsText = '';

  constructor(
    private readonly regions: Region[],
    hospitals: Hospital[],
    private readonly hotlines: Hotline[],
  ) {
    this.hospitals = [...hospitals].sort((a, b) => a.id.localeCompare(b.id));
    this.regionIndex = new Flatbush(Math.max(1, regions.length));
    for (const r of regions) {
      const [a, b, c, d] = turfBbox(r.geometry);
      this.regionIndex.add(a, b, c, d);
    }
    if (regions.length === 0) this.regionIndex.add(0, 0, 0, 0);
    this.regionIndex.finish();
    this.regionGrid = new RegionGrid(
      regions.map((r) => r.geometry),
      (lon, lat) => this.regionIndexAt(lon, lat),
    );
    this.regionAnswers = regions.map((r) => ({ code: r.code, name: r.name }));
    this.hospitalTexts = this.hospitals.map((h) => JSON.stringify(hospitalAnswer(h, 0)).slice(0, -2));
  }

  /** Whether any county outline is loaded: without one, no place can be said to lie in Liaocheng or not. */
  get hasRegions(): boolean {
    return this.regions.length > 0;
  }

  /** The county containing a point (a point on a shared border belongs to the first by code). */
  regionAt(lon: number, lat: number): { code: string; name: string } | null {
    return this.regionAnswers[this.regionGrid.at(lon, lat)] ?? null;
  }

  /** The exact answer of `regionAt`, as the region's index or -1 (what the grid asks near an outline). */
  private regionIndexAt(lon: number, lat: number): number {
    for (const i of this.regionIndex.search(lon, lat, lon, lat).sort((a, b) => a - b)) {
      if (booleanPointInPolygon([lon, lat], this.regions[i].geometry)) return i;
    }
    return -1;
  }

  /** The nearest designated hospitals, by great-circle distance. */
  nearestHospitals(lon: number, lat: number, limit: number) {
    return this.nearestHospitalIndexes(lon, lat, limit).map(({ i, d }) => hospitalAnswer(this.hospitals[i], d));
  }

  /** `JSON.stringify(nearestHospitals(…))`, from each hospital's text made once. */
  nearestHospitalsText(lon: number, lat: number, limit: number): string {
    let text = '';
    for (const { i, d } of this.nearestHospitalIndexes(lon, lat, limit)) text += `${text ? ',' : ''}${this.hospitalTexts[i]}${Math.round(d)}}`;
    return `[${text}]`;
  }

  /** The `limit` nearest hospitals' indexes and distances, nearest first (then by id). */
  private nearestHospitalIndexes(lon: number, lat: number, limit: number): { i: number; d: number }[] {
    const nearest: { i: number; d: number }[] = [];
    for (let i = 0; i < this.hospitals.length; i++) {
      const h = this.hospitals[i];
      const d = greatCircleMetres(lon, lat, h.lon, h.lat);
      // Hospitals are held in order of id, so an equal distance keeps the earlier one first.
      let k = nearest.length;
      while (k > 0 && nearest[k - 1].d > d) k--;
      if (k >= limit) continue;
      nearest.splice(k, 0, { i, d });
      if (nearest.length > limit) nearest.length = limit;
    }
    return nearest;
  }

  /**
   * The county's whole township hotline table (seed 000), in the seed's order, or null when the
   * seed has none for it. The service has county outlines only, so it never picks a township
   * itself: a row is marked `chosen` only when the resident named that township (`chosenKey`,
   * compared without the 办事处/服务中心 suffixes the sources disagree on).
   */
  hotlineTable(county: string, chosenKey: ((township: string) => boolean) | null): HotlineTable | null {
    const rows = this.hotlines.filter((h) => h.county === county);
    if (rows.length === 0) return null;
    return {
      county,
      rows: rows.map((h) => ({ id: h.id, township: h.township, phones: h.phones, chosen: Boolean(chosenKey?.(h.township)) })),
    };
  }

  /** A county by its code, with its outline. */
  regionByCode(code: string): Region | null {
    return this.regions.find((r) => r.code === code) ?? null;
  }

  /** The designated hospitals inside a county (by their approximate points), nearest its seat first. */
  hospitalsIn(region: Region, limit: number) {
    const [a, b, c, d] = turfBbox(region.geometry);
    const seat: [number, number] = [(a + c) / 2, (b + d) / 2];
    const inside = this.hospitals.filter((h) => booleanPointInPolygon([h.lon, h.lat], region.geometry));
    return inside
      .map((h) => hospitalAnswer(h, greatCircleMetres(seat[0], seat[1], h.lon, h.lat)))
      .sort((x, y) => x.distanceMeters - y.distanceMeters || x.id.localeCompare(y.id))
      .slice(0, limit);
  }

  /**
   * Builds the reference from the repository's rows, or gives back `previous` when they are the
   * rows it was built from (the periodic reload finds them unchanged almost always: the build, the
   * county grid above all, is tens of milliseconds of the event loop, and the texts kept per
   * reference stay made).
   */
  static fromRows(rows: { regions: { code: string; name: string; geometry: string }[]; hospitals: Hospital[]; hotlines: Hotline[] }, previous: LookupReference | null = null): LookupReference {
    const rowsText = JSON.stringify(rows);
    if (previous && previous.rowsText === rowsText) return previous;
    const built = new LookupReference(
      rows.regions.map((r) => ({ code: r.code, name: r.name, geometry: JSON.parse(r.geometry) })),
      rows.hospitals.map((h) => ({ ...h, lon: Number(h.lon), lat: Number(h.lat) })),
      rows.hotlines.map((h) => ({ ...h, lon: Number(h.lon), lat: Number(h.lat) })),
    );
    built.rowsText = rowsText;
    return built;
  }
}

/** A hospital as a lookup answers it (the key order is that of the answer's JSON). */
function hospitalAnswer(h: Hospital, distanceMetres: number) {
  return { id: h.id, name: h.name, address: h.address, phone: h.phone, approximate: h.approximate, distanceMeters: Math.round(distanceMetres) };
}

/**
 * The great-circle (haversine) distance in metres: turf's `distance` with `units: 'meters'`, the
 * same arithmetic step for step (lookup-reference.test.ts compares them), without the position
 * arrays and checks it makes per call, which were most of the nearest hospitals' cost.
 */
export function greatCircleMetres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = radians(lat2 - lat1);
  const dLon = radians(lon2 - lon1);
  const a = Math.pow(Math.sin(dLat / 2), 2) + Math.pow(Math.sin(dLon / 2), 2) * Math.cos(radians(lat1)) * Math.cos(radians(lat2));
  return 2 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a)) * EARTH_RADIUS_METRES;
}
// At module level, not inside the function: a named function made per call costs more than the arithmetic.
function radians(degrees: number): number {
  return ((degrees % 360) * Math.PI) / 180;
}
/** turf's mean Earth radius. */
const EARTH_RADIUS_METRES = 6371008.8;

/** A county's township hotline table, as the seed lists it. */
export interface HotlineTable {
  county: string;
  rows: { id: string; township: string; phones: string[]; chosen: boolean }[];
}

/** What the lookup needs of a zone on the map: its kind, outline and bbox, and what it shows. */
export interface ZoneShape<P> {
  properties: P & { id: string; kind: ZoneKind };
  geometry: Polygon | MultiPolygon;
}

const STRICTNESS: Record<ZoneKind, number> = { sealed: 0, controlled: 1, precaution: 2 };

/**
 * Innermost first (DOMAIN.md): strictest kind, then smallest area, then id, so two zones of the
 * same kind and size still come out in the same order on every server.
 */
export function innermostFirst<P>(zones: { zone: ZoneShape<P>; areaM2: number }[]): { zone: ZoneShape<P>; areaM2: number }[] {
  return [...zones].sort(
    (a, b) =>
      STRICTNESS[a.zone.properties.kind] - STRICTNESS[b.zone.properties.kind] ||
      a.areaM2 - b.areaM2 ||
      (a.zone.properties.id < b.zone.properties.id ? -1 : a.zone.properties.id > b.zone.properties.id ? 1 : 0),
  );
}

/** Metres per degree of latitude (WGS84 mean); a degree of longitude is this times cos(latitude). */
const METRES_PER_DEGREE = 111_195;

/**
 * An outline's rings as flat coordinates (x0, y0, x1, y1, …) and where each ring ends, made once
 * per outline object: the distance below walks them as typed arrays, a third of the time it took
 * over nested arrays (it is most of a lookup outside every zone).
 */
interface FlatRings {
  coords: Float64Array;
  /** Index in `coords` after each ring's last point. */
  ends: number[];
}
const flatOutlines = new WeakMap<object, FlatRings>();
function flatRings(geometry: Polygon | MultiPolygon): FlatRings {
  let flat = flatOutlines.get(geometry);
  if (!flat) {
    const rings = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates).flat();
    const coords = new Float64Array(rings.reduce((n, ring) => n + ring.length * 2, 0));
    const ends: number[] = [];
    let k = 0;
    for (const ring of rings) {
      for (const [x, y] of ring) {
        coords[k++] = x;
        coords[k++] = y;
      }
      ends.push(k);
    }
    flatOutlines.set(geometry, (flat = { coords, ends }));
  }
  return flat;
}

/**
 * The distance in metres from a point to the nearest edge of an outline (any ring: a point in a
 * hole is outside the zone too), in a local equirectangular projection around the point: within a
 * city the error is a fraction of a percent, and it costs a few arithmetic operations per edge
 * (turf's geodesic pointToPolygonDistance cost about 18 ms a lookup over 24 zones of 64 vertices).
 */
export function distanceToOutline(lon: number, lat: number, geometry: Polygon | MultiPolygon): number {
  const kx = METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
  const ky = METRES_PER_DEGREE;
  const { coords, ends } = flatRings(geometry);
  let best = Infinity;
  let start = 0;
  for (const end of ends) {
    for (let i = start + 2; i < end; i += 2) {
      const ax = (coords[i - 2] - lon) * kx;
      const ay = (coords[i - 1] - lat) * ky;
      const dx = (coords[i] - lon) * kx - ax;
      const dy = (coords[i + 1] - lat) * ky - ay;
      const length2 = dx * dx + dy * dy;
      // The closest point of the edge to the origin (the place asked about).
      let t = length2 > 0 ? -(ax * dx + ay * dy) / length2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const x = ax + t * dx;
      const y = ay + t * dy;
      const d2 = x * x + y * y;
      if (d2 < best) best = d2;
    }
    start = end;
  }
  return Math.sqrt(best);
}

/** Each zone outline's bounding box, computed once per outline object (a new map keeps unchanged zones' outlines). */
const outlineBoxes = new WeakMap<object, number[]>();
const boxOf = (geometry: Polygon | MultiPolygon) => {
  let box = outlineBoxes.get(geometry);
  if (!box) outlineBoxes.set(geometry, (box = turfBbox(geometry)));
  return box;
};

/**
 * Makes what the nearest-zone search keeps per outline (its flat rings and box) now rather than
 * at the first lookup near it: at a start, thousands of outlines are otherwise measured for the
 * first time by the first residents' lookups, all in the same few hundred milliseconds.
 */
export function prepareOutline(geometry: Polygon | MultiPolygon): void {
  flatRings(geometry);
  boxOf(geometry);
}

/**
 * The zones nearest a point that contains none of them, by the distance to their outline. The
 * index's bbox neighbours give candidates (a zone's bbox is never farther than its outline), in
 * order of their box's distance; once a box is farther than the `limit`-th outline found, no
 * later candidate can come closer, so usually only three or four outlines are measured. The
 * neighbours are asked for a few at a time (the index's search costs with the number it returns),
 * more only when the boxes found so far do not settle the order, so the answer is exact however
 * many zones crowd around the point.
 */
export function nearestZones<P>(
  features: ZoneShape<P>[],
  index: Flatbush | null,
  lon: number,
  lat: number,
  limit: number,
): { zone: ZoneShape<P>; distanceMeters: number }[] {
  if (!index || features.length === 0 || limit <= 0) return [];
  // A degree of longitude is the shorter one here: the box's distance in degrees times its length
  // in metres is never more than the box's distance in metres, so never more than the outline's.
  const metresPerDegreeAtMost = METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
  const found: { zone: ZoneShape<P>; distanceMeters: number }[] = [];
  let asked = limit + 1;
  let seen = 0;
  for (;;) {
    const candidates = index.neighbors(lon, lat, Math.min(features.length, asked));
    for (; seen < candidates.length; seen++) {
      const i = candidates[seen];
      if (found.length >= limit) {
        const [x0, y0, x1, y1] = boxOf(features[i].geometry);
        const dx = Math.max(x0 - lon, 0, lon - x1);
        const dy = Math.max(y0 - lat, 0, lat - y1);
        // Rounded distances are compared: a box farther than the last kept one by more than half
        // a metre cannot hold a zone that rounds to it or closer.
        if (Math.sqrt(dx * dx + dy * dy) * metresPerDegreeAtMost > found[limit - 1].distanceMeters + 0.5) return found;
      }
      found.push({ zone: features[i], distanceMeters: Math.round(distanceToOutline(lon, lat, features[i].geometry)) });
      found.sort(byDistance);
      if (found.length > limit) found.length = limit;
    }
    if (candidates.length < asked || asked >= features.length) return found;
    asked *= 4;
  }
}

function byDistance<P>(a: { zone: ZoneShape<P>; distanceMeters: number }, b: { zone: ZoneShape<P>; distanceMeters: number }): number {
  return a.distanceMeters - b.distanceMeters || (a.zone.properties.id < b.zone.properties.id ? -1 : 1);
}

/** The zones in force that touch a county (for an answer about a township, whose outline is unknown). */
export function zonesInRegion<P>(features: ZoneShape<P>[], index: Flatbush | null, region: { geometry: Polygon | MultiPolygon }): ZoneShape<P>[] {
  if (!index) return [];
  const [a, b, c, d] = turfBbox(region.geometry);
  return index
    .search(a, b, c, d)
    .map((i) => features[i])
    .filter((f) => booleanIntersects(f.geometry, region.geometry));
}
