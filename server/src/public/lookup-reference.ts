import Flatbush from 'flatbush';
import { bbox as turfBbox, booleanPointInPolygon, distance } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';

/** Channel on which any process announces that regions, facilities or hotlines changed. */
export const REFERENCE_CHANGED = 'reference_changed';

interface Region {
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

  constructor(
    private readonly regions: Region[],
    private readonly hospitals: Hospital[],
    private readonly hotlines: Hotline[],
  ) {
    this.regionIndex = new Flatbush(Math.max(1, regions.length));
    for (const r of regions) {
      const [a, b, c, d] = turfBbox(r.geometry);
      this.regionIndex.add(a, b, c, d);
    }
    if (regions.length === 0) this.regionIndex.add(0, 0, 0, 0);
    this.regionIndex.finish();
  }

  /** The county containing a point (a point on a shared border belongs to the first by code). */
  regionAt(lon: number, lat: number): { code: string; name: string } | null {
    for (const i of this.regionIndex.search(lon, lat, lon, lat).sort((a, b) => a - b)) {
      const r = this.regions[i];
      if (r && booleanPointInPolygon([lon, lat], r.geometry)) return { code: r.code, name: r.name };
    }
    return null;
  }

  /** The nearest designated hospitals, by great-circle distance. */
  nearestHospitals(lon: number, lat: number, limit: number) {
    return this.hospitals
      .map((h) => ({ h, d: distance([lon, lat], [h.lon, h.lat], { units: 'meters' }) }))
      .sort((a, b) => a.d - b.d || a.h.id.localeCompare(b.h.id))
      .slice(0, limit)
      .map(({ h, d }) => ({ id: h.id, name: h.name, address: h.address, phone: h.phone, approximate: h.approximate, distanceMeters: Math.round(d) }));
  }

  /** The hotline of the nearest township seat within a county (the seats are approximate). */
  nearestHotline(county: string, lon: number, lat: number): { county: string; township: string; phones: string[]; approximate: boolean } | null {
    let best: Hotline | null = null;
    let bestD = Infinity;
    for (const h of this.hotlines) {
      if (h.county !== county) continue;
      const d = distance([lon, lat], [h.lon, h.lat]);
      if (d < bestD) {
        best = h;
        bestD = d;
      }
    }
    return best ? { county: best.county, township: best.township, phones: best.phones, approximate: best.approximate } : null;
  }

  /** Builds the reference from the repository's rows. */
  static fromRows(rows: { regions: { code: string; name: string; geometry: string }[]; hospitals: Hospital[]; hotlines: Hotline[] }): LookupReference {
    return new LookupReference(
      rows.regions.map((r) => ({ code: r.code, name: r.name, geometry: JSON.parse(r.geometry) })),
      rows.hospitals.map((h) => ({ ...h, lon: Number(h.lon), lat: Number(h.lat) })),
      rows.hotlines.map((h) => ({ ...h, lon: Number(h.lon), lat: Number(h.lat) })),
    );
  }
}
