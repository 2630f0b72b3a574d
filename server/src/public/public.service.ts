import crypto from 'node:crypto';
import zlib from 'node:zlib';
import Flatbush from 'flatbush';
import { booleanPointInPolygon, bbox as turfBbox } from '@turf/turf';
import type { Database } from '../db/database';
import type { ExpiryService } from '../expiry/expiry.service';
import { ZONES_CHANGED } from '../expiry/expiry.service';
import { MEASURES } from '../expiry/measures';
import type { ZoneKind } from '../expiry/editions';
import { todayInShanghai } from '../shared/dates';
import { publicRepo } from './public.repo';
import { gcj02ToWgs84 } from '../geo/coords';
import { LookupReference, REFERENCE_CHANGED } from './lookup-reference';

export interface PublicZoneProps {
  id: string;
  kind: ZoneKind;
  name: string;
  status: 'published';
  designatedOn: string;
  publishedAt: string | null;
  lastCaseOn: string | null;
  caseFreeDays: number;
  nextChangeOn: string | null;
  nextKind: ZoneKind | null;
  liftsNext: boolean;
  waitingFor: string | null;
  edition: string;
  sample: boolean;
  measures: { zh: string; en: string };
}

export interface PublicZoneFeature {
  type: 'Feature';
  id: string;
  geometry: GeoJSON.MultiPolygon;
  properties: PublicZoneProps;
}

/** One built version of the public map: the features, their bytes, and an index for lookups. */
export interface PublicSnapshot {
  asOf: string;
  features: PublicZoneFeature[];
  json: Buffer;
  gzip: Buffer;
  etag: string;
  index: Flatbush | null;
}

const STRICTNESS: Record<ZoneKind, number> = { sealed: 0, controlled: 1, precaution: 2 };

/**
 * The public read side. The zones in force are built once per published state and day, kept in
 * memory with their gzip bytes and ETag, and rebuilt when any process announces a change
 * (LISTEN/NOTIFY on PostgreSQL), so the hot path is a memory read.
 */
export function publicService(db: Database, deps: { expiry: ExpiryService; serviceArea: [number, number, number, number] }) {
  const repo = publicRepo(db.reader);
  let epoch = 0;
  let current: { key: string; epoch: number; snapshot: Promise<PublicSnapshot>; etag: string | null } | null = null;
  let reference: Promise<LookupReference> | null = null;
  let referenceLoadedAt = 0;
  const listening = Promise.all([
    db.listen(ZONES_CHANGED, () => {
      epoch += 1;
    }),
    db.listen(REFERENCE_CHANGED, () => {
      reference = null;
    }),
  ]);
  const lookupReference = () => {
    // Reloaded on notice, and at least every 5 minutes in case a notice was missed (a geodata
    // load by another process at its start, say).
    if (!reference || Date.now() - referenceLoadedAt > 5 * 60_000) {
      referenceLoadedAt = Date.now();
      const loading = repo.lookupReference().then(LookupReference.fromRows);
      reference = loading;
      loading.catch(() => {
        if (reference === loading) reference = null;
      });
    }
    return reference;
  };

  // Geometries are the bulk of the map and change only with a zone's version: each is read,
  // parsed and measured once per version, so a rebuild after one bulletin reads only its zones.
  const geometries = new Map<string, { version: number; text: string; parsed: GeoJSON.MultiPolygon; bbox: number[] }>();
  const geometryOf = async (rows: { id: string; version: number }[]) => {
    const stale = rows.filter((r) => geometries.get(r.id)?.version !== r.version).map((r) => r.id);
    for (let i = 0; i < stale.length; i += 1000) {
      for (const g of await repo.geometriesOf(stale.slice(i, i + 1000))) {
        const parsed = JSON.parse(g.geometry) as GeoJSON.MultiPolygon;
        geometries.set(g.id, { version: g.version, text: g.geometry, parsed, bbox: turfBbox(parsed) });
      }
    }
  };

  const build = async (asOf: string): Promise<PublicSnapshot> => {
    const [rows, { statuses }] = await Promise.all([repo.publishedZones(), deps.expiry.evaluate(asOf, db.reader)]);
    const inForce = rows.filter((row) => {
      const st = statuses.get(row.id);
      return Boolean(st?.inForce && st.kind);
    });
    await geometryOf(inForce);
    const features: PublicZoneFeature[] = [];
    for (const row of inForce) {
      const st = statuses.get(row.id)!;
      const kind = st.kind!;
      features.push({
        type: 'Feature',
        id: row.id,
        geometry: geometries.get(row.id)!.parsed,
        properties: {
          id: row.id,
          kind,
          name: row.name,
          status: 'published',
          designatedOn: row.designated_on,
          publishedAt: row.published_at ? new Date(row.published_at).toISOString() : null,
          lastCaseOn: st.lastCaseOn,
          caseFreeDays: st.caseFreeDays,
          nextChangeOn: st.nextChangeOn,
          nextKind: st.nextKind,
          liftsNext: st.liftsNext,
          waitingFor: st.waitingFor,
          edition: row.edition,
          sample: row.sample,
          measures: MEASURES[kind],
        },
      });
    }
    features.sort((a, b) => STRICTNESS[a.properties.kind] - STRICTNESS[b.properties.kind] || (a.properties.name < b.properties.name ? -1 : a.properties.name > b.properties.name ? 1 : 0));
    // Written from the stored GeoJSON text: stringifying parsed coordinates again would cost more
    // than everything else in a rebuild.
    const parts = features.map(
      (f) => `{"type":"Feature","id":${JSON.stringify(f.id)},"geometry":${geometries.get(f.id)!.text},"properties":${JSON.stringify(f.properties)}}`,
    );
    const json = Buffer.from(`{"type":"FeatureCollection","asOf":${JSON.stringify(asOf)},"features":[${parts.join(',')}]}`);
    let index: Flatbush | null = null;
    if (features.length) {
      index = new Flatbush(features.length);
      for (const f of features) {
        const [a, b, c, d] = geometries.get(f.id)!.bbox;
        index.add(a, b, c, d);
      }
      index.finish();
    }
    // A large map is compressed fast rather than small: it is rebuilt on every publication, and
    // level 1 keeps most of the gain (zone coordinates are repetitive digits).
    const gzip = await new Promise<Buffer>((resolve, reject) =>
      zlib.gzip(json, { level: json.length > 1_000_000 ? 1 : 6 }, (err, out) => (err ? reject(err) : resolve(out))),
    );
    return {
      asOf,
      features,
      json,
      gzip,
      etag: `"${crypto.createHash('sha1').update(json).digest('base64url')}"`,
      index,
    };
  };

  return {
    /** The zones in force today (cached), or as the map stood at the end of `asOf` (built on demand). */
    async zones(asOf?: string): Promise<PublicSnapshot> {
      await listening;
      const today = todayInShanghai();
      if (asOf && asOf !== today) return build(asOf);
      const key = today;
      if (!current || current.key !== key || current.epoch !== epoch) {
        const snapshot = build(today);
        const entry: NonNullable<typeof current> = { key, epoch, snapshot, etag: null };
        current = entry;
        snapshot.then(
          (snap) => {
            entry.etag = snap.etag;
          },
          () => {
            if (current === entry) current = null;
          },
        );
      }
      return current.snapshot;
    },

    /**
     * The ETag of today's map when it is built and still current, else null: lets the HTTP layer
     * answer a revalidation (304) without any other work.
     */
    currentEtag(): string | null {
      if (!current || current.epoch !== epoch || current.key !== todayInShanghai()) return null;
      return current.etag;
    },

    /** "Am I in a zone?": the zones containing a point (strictest first), hospitals, hotline. */
    async lookup(input: { lon: number; lat: number; crs: 'wgs84' | 'gcj02' }) {
      const { lon, lat } = input.crs === 'gcj02' ? gcj02ToWgs84(input.lon, input.lat) : input;
      const [minLon, minLat, maxLon, maxLat] = deps.serviceArea;
      const point = { lon: round(lon), lat: round(lat) };
      await listening;
      const ref = await lookupReference();
      const region = lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat ? ref.regionAt(lon, lat) : null;
      if (!region) {
        return {
          point,
          inServiceArea: false,
          region: null,
          zones: [],
          hospitals: [],
          hotline: null,
          message: {
            zh: '该位置不在聊城市服务范围内，本地图只显示聊城市的风险区域。',
            en: 'This place is outside Liaocheng; this map shows the risk zones of Liaocheng only.',
          },
        };
      }
      const snap = await this.zones();
      const candidates = snap.index ? snap.index.search(lon, lat, lon, lat) : [];
      const zones = candidates
        .map((i) => snap.features[i])
        .filter((f) => booleanPointInPolygon([lon, lat], f.geometry))
        .sort((a, b) => STRICTNESS[a.properties.kind] - STRICTNESS[b.properties.kind])
        .map((f) => {
          const { id, kind, name, measures, caseFreeDays, lastCaseOn, nextChangeOn, nextKind, liftsNext, waitingFor, edition, designatedOn } = f.properties;
          return { id, kind, name, measures, caseFreeDays, lastCaseOn, nextChangeOn, nextKind, liftsNext, waitingFor, edition, designatedOn };
        });
      const hospitals = ref.nearestHospitals(lon, lat, 3);
      const hotline = ref.nearestHotline(region.name, lon, lat);
      return {
        point,
        inServiceArea: true,
        region,
        zones,
        hospitals,
        hotline,
        ...(hotline ? {} : { message: { zh: '本县（市、区）的乡镇咨询报备电话未收录，请拨打所在乡镇（街道）公布的电话。', en: 'The township hotlines of this county are not on file; call the number your township office published.' } }),
      };
    },
  };
}

const round = (v: number) => Math.round(v * 1e7) / 1e7;
