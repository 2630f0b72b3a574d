import crypto from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { booleanPointInPolygon, area as turfArea } from '@turf/turf';
import { RECONNECTED, type Database } from '../db/database';
import type { ExpiryService } from '../expiry/expiry.service';
import { addDays, shanghaiMidnightUtc, todayInShanghai } from '../../../contract/dates';
import { PUBLISHED } from '../publications/publications.service';
import { publicationsRepo } from '../publications/publications.repo';
import { RecordProjection, renderEntries, type PublicSnapshot } from '../publications/projection';
import { featureJson, publicStateOf, type PublicZoneProps, type ZoneEntry } from '../publications/record';
import { publicRepo } from './public.repo';
import { gcj02ToWgs84 } from '../geo/coords';
import { AppError, ErrorCode } from '../errors';
import { bd09ToWgs84 } from '../search/coordinates';
import { townshipKey, type Township } from '../search/townships';
import { LookupReference, REFERENCE_CHANGED, innermostFirst, nearestZones, prepareOutline, zonesInRegion, type ZoneShape } from './lookup-reference';

export type { PublicZoneProps } from '../publications/record';
export type { PublicSnapshot, PublicZoneFeature } from '../publications/projection';

/** Past days kept rendered: their bytes never change, and a bulletin night asks for a few. */
const PAST_DAYS_KEPT = 64;

/** A past day's map as sent: its bytes, their gzip, and its ETag. */
export interface PastDayMap {
  json: Buffer;
  gzip: Buffer;
  etag: string;
}
/** Past days' bytes kept (LRU): a bulletin night asks for a few dozen days; each is a few MB. */
const PAST_MAPS_KEPT = 32;

/**
 * The public read side: a projection of the record of publications. Today's map is the record as
 * it stands, kept in memory and updated publication by publication (LISTEN/NOTIFY tells every
 * process, a write in this process catches up before it answers); a past day's map is the record
 * as it stood at the end of that day, the same bytes every time; the state of a past day "as now
 * known" (late reports, corrections) is rebuilt from the facts and says how it differs.
 */
export function publicService(db: Database, deps: {
  expiry: ExpiryService;
  serviceArea: [number, number, number, number];
  /** Renders a past day's map bytes and their gzip off the event loop (a worker thread). */
  renderDay: (input: { day: string; publication: number; entriesJson: string }) => Promise<PastDayMap>;
}) {
  const repo = publicRepo(db.reader);
  // The record is read from the primary: a replica may not have the publication just announced.
  const record = publicationsRepo(db.knex);
  const projection = new RecordProjection(db.knex);
  const pastDays = new Map<string, Promise<PublicSnapshot>>();
  let reference: Promise<LookupReference> | null = null;
  let referenceLoadedAt = 0;
  /** The reference `lookupReference` gives, once it has loaded; null while one loads. */
  let referenceLoaded: LookupReference | null = null;
  let closed = false;
  /** Told of each new map of today (see `onNewMap`). */
  const newMapListeners: ((snapshot: PublicSnapshot) => void)[] = [];
  let announced: string | null = null;
  const announce = (snapshot: PublicSnapshot) => {
    if (snapshot.etag === announced) return;
    announced = snapshot.etag;
    for (const listener of newMapListeners) listener(snapshot);
  };
  const catchUp = () =>
    projection
      .catchUp()
      // The new version is rendered (and its compression started) before anyone asks for it.
      .then(() => announce(projection.snapshot(todayInShanghai())))
      .catch((err) => {
        // The next notice or poll tries again; a database that is away is reported by /api/health.
        if (!closed) console.error('[public] could not read the record of publications:', err instanceof Error ? err.message : err);
      });
  const listening = Promise.all([
    db.listen(PUBLISHED, () => void catchUp()),
    db.listen(REFERENCE_CHANGED, (payload) => {
      if (payload === RECONNECTED) {
        // Nothing is known to have changed, only that a notice may have been missed: reloaded at
        // the next lookup, the one in hand answering meanwhile (and kept if the rows are the same).
        referenceLoadedAt = 0;
        return;
      }
      reference = null;
      referenceLoaded = null;
    }),
  ]);
  // A safety net for a notice lost while the listening connection was down: a cheap poll.
  const poll = setInterval(() => void catchUp(), 5_000);
  poll.unref();
  /** Whether `listening` has settled: `todayNow` waits for it as `today` does. */
  let listened = false;
  void listening.then(() => (listened = true), () => undefined);
  /** The lookup reference without waiting: null while it loads (a reload is started if due). */
  const referenceNow = (): LookupReference | null => {
    void lookupReference();
    return referenceLoaded?.hasRegions ? referenceLoaded : null;
  };
  const lookupReference = () => {
    // Reloaded on notice, and at least every 5 minutes in case a notice was missed (a geodata
    // load by another process at its start, say). After a notice the old reference is not used
    // again (the notice clears it); otherwise it answers until the new one has loaded (or after
    // a reload failed), and stays when the rows read are the same.
    if (!reference || Date.now() - referenceLoadedAt > 5 * 60_000) {
      referenceLoadedAt = Date.now();
      const previous = referenceLoaded;
      const loading = repo.lookupReference().then((rows) => LookupReference.fromRows(rows, previous));
      reference = loading;
      referenceLoaded = previous;
      loading.then((ref) => {
        if (reference !== loading) return;
        referenceLoaded = ref;
        // No county outlines yet (geodata not loaded): read again at the next lookup, not kept.
        if (!ref.hasRegions) referenceLoadedAt = 0;
      }, () => undefined);
      loading.catch(() => {
        if (reference === loading) reference = null;
      });
    }
    return reference;
  };

  /**
   * What lookups keep per zone of today's map (area, flat rings, box, answer text), made at the
   * start, then lookups over a grid of the service area, a few dozen per turn of the event loop,
   * so that the code they run is compiled before the first residents ask rather than while they do.
   */
  const prepareForLookups = async (snap: PublicSnapshot) => {
    const zones = snap.features as ZoneShape<PublicZoneProps>[];
    for (let i = 0; i < zones.length; i++) {
      areaOf(zones[i].geometry);
      prepareOutline(zones[i].geometry);
      zoneText(zones[i]);
      if (i % 500 === 499) await nextTurn();
    }
    const [minLon, minLat, maxLon, maxLat] = deps.serviceArea;
    const steps = WARM_UP_GRID;
    for (let row = 0; row < steps && !closed; row++) {
      for (let col = 0; col < steps; col++) {
        service.lookupText({ lon: minLon + ((col + 0.5) * (maxLon - minLon)) / steps, lat: minLat + ((row + 0.5) * (maxLat - minLat)) / steps, crs: 'wgs84' });
      }
      await nextTurn();
    }
  };

  /** Today's map without waiting, once the record has been read and its notices are listened to; else null. */
  const todayNow = (): PublicSnapshot | null => (listened && projection.lastApplied >= 0 ? projection.snapshot(todayInShanghai()) : null);
  const today = async (): Promise<PublicSnapshot> => {
    const now = todayNow();
    if (now) return now;
    await listening;
    if (projection.lastApplied < 0) await projection.catchUp();
    return projection.snapshot(todayInShanghai());
  };

  /** The map as published by the end of `day` (before today): read back from the record once, then kept. */
  const publishedOn = (day: string): Promise<PublicSnapshot> => {
    let built = pastDays.get(day);
    if (!built) {
      built = (async () => {
        const upTo = await record.lastNumberOn(day);
        const entries = upTo ? await record.entriesAt(upTo) : [];
        return renderEntries(day, upTo, entries.map((e) => ({ publication: e.publication, inForce: e.in_force, state: e.state, geometry: e.geometry })));
      })();
      pastDays.set(day, built);
      built.catch(() => pastDays.delete(day));
      while (pastDays.size > PAST_DAYS_KEPT) pastDays.delete(pastDays.keys().next().value!);
    }
    return built;
  };

  const pastMaps = new Map<string, Promise<PastDayMap>>();
  /**
   * The bytes of the map as published by the end of `day` (before today): the record is read here,
   * the map is rendered and compressed on a worker thread, once; concurrent requests for the same
   * day share that one build (single flight), and the bytes are kept, since they never change.
   */
  const publishedMapOn = (day: string): Promise<PastDayMap> => {
    let built = pastMaps.get(day);
    if (built) {
      pastMaps.delete(day);
      pastMaps.set(day, built);
      return built;
    }
    built = (async () => {
      const upTo = await record.lastNumberOn(day);
      return deps.renderDay({ day, publication: upTo, entriesJson: upTo ? await record.entriesJsonAt(upTo) : '[]' });
    })();
    pastMaps.set(day, built);
    // A failure (a full queue, say) is not kept: the next request tries again.
    built.catch(() => {
      if (pastMaps.get(day) === built) pastMaps.delete(day);
    });
    while (pastMaps.size > PAST_MAPS_KEPT) pastMaps.delete(pastMaps.keys().next().value!);
    return built;
  };

  /**
   * The state of `day` as now known: every zone's state that day rebuilt from today's facts (late
   * case reports and screening rounds included), with the zones that differ from the published
   * map and why.
   */
  const asNowKnown = async (day: string) => {
    const [published, { rows, statuses }] = await Promise.all([day >= todayInShanghai() ? today() : publishedOn(day), deps.expiry.evaluate(day, db.knex)]);
    const latest = new Map((await record.entriesAt(null, db.knex, rows.map((r) => r.id))).map((e) => [e.zone_id, e]));
    const dayEnd = shanghaiMidnightUtc(addDays(day, 1));
    const late = await record.lateFactsFor(day, dayEnd);
    // Each zone is drawn with the geometry it had that day when it was published by then (a later
    // redraw does not travel back), else with the one it was first published with since.
    const knownThen = new Map(published.publication ? (await record.entriesAt(published.publication)).map((e) => [e.zone_id, e]) : []);
    const geometryText = new Map([...latest].map(([id, e]) => [id, knownThen.get(id) ?? e]));
    const entries: (ZoneEntry & { geometry: string })[] = [];
    for (const row of rows) {
      const st = statuses.get(row.id);
      const known = geometryText.get(row.id);
      if (!st || !known) continue;
      const { inForce, state } = publicStateOf(row, st, known.state.publishedAt, known.state.kind);
      entries.push({ publication: known.publication, inForce, state, geometry: known.geometry });
    }
    const corrected = renderEntries(day, published.publication, entries);
    const publishedById = new Map(published.features.map((f) => [f.id, f.properties]));
    const correctedById = new Map(corrected.features.map((f) => [f.id, f.properties]));
    const differences: { zoneId: string; name: string; published: DayState | null; asNowKnown: DayState | null; why: string[] }[] = [];
    for (const id of new Set([...publishedById.keys(), ...correctedById.keys()])) {
      const a = publishedById.get(id);
      const b = correctedById.get(id);
      const pa = a ? dayState(a) : null;
      const pb = b ? dayState(b) : null;
      if (JSON.stringify(pa) === JSON.stringify(pb)) continue;
      const why: string[] = [];
      if (!a && b && !knownThen.has(id)) why.push('published_later');
      if (late.lateCases.has(id)) why.push('late_case_report');
      if (late.lateScreenings.has(id)) why.push('late_screening');
      if (!why.length) why.push('recomputed');
      differences.push({ zoneId: id, name: (b ?? a)!.name, published: pa, asNowKnown: pb, why: [...new Set(why)] });
    }
    differences.sort((x, y) => (x.zoneId < y.zoneId ? -1 : 1));
    const json = Buffer.from(
      `{"type":"FeatureCollection","asOf":${JSON.stringify(day)},"view":"corrected","publication":${published.publication},"differences":${JSON.stringify(differences)},"features":[${corrected.features
        .map((f) => featureJson(f.properties, geometryText.get(f.id)!.geometry))
        .join(',')}]}`,
    );
    return { json, etag: `"c${published.publication}-${day}-${crypto.createHash('sha1').update(json).digest('base64url')}"` };
  };

  const service = {
    /** The map of today (from the projection) or as published by the end of `asOf`. */
    async zones(asOf?: string): Promise<PublicSnapshot> {
      const day = todayInShanghai();
      if (!asOf || asOf >= day) return today();
      return publishedOn(asOf);
    },

    /**
     * Reads today's map and the lookup reference before anyone asks (at the service's start): the
     * first residents after a start do not wait for them, nor the others for their build.
     */
    async warmUp(): Promise<void> {
      try {
        // Listening first: a reference read before the listening connection is made could miss a
        // notice, so that connection's first `reconnected` would make the first lookup read it again.
        await listening;
        const [snap] = await Promise.all([today(), lookupReference()]);
        await prepareForLookups(snap);
      } catch (err) {
        // The first request tries again; a database that is away is reported by /api/health.
        if (!closed) console.error('[public] could not read today\'s map or the lookup reference at start:', err instanceof Error ? err.message : err);
      }
    },

    /** The state of a past day as now known, with how it differs from what was published. */
    asNowKnown,

    /** The bytes of a past day's map as published (rendered on a worker thread once, then kept). */
    publishedMapOn,

    /** Makes this process's projection include everything committed so far (after a write here). */
    async refresh(): Promise<void> {
      await listening;
      await projection.catchUp();
      announce(projection.snapshot(todayInShanghai()));
    },

    /**
     * Calls `listener` with today's map as it stands (when the projection holds one) and then with
     * each new one this process renders after a publication: what is derived once per map (the
     * tiles' index on a worker thread) is made then rather than by the first request for it.
     */
    onNewMap(listener: (snapshot: PublicSnapshot) => void): void {
      newMapListeners.push(listener);
      if (projection.lastApplied >= 0) listener(projection.snapshot(todayInShanghai()));
    },

    /**
     * The ETag of today's map when the projection holds it already, else null: lets the HTTP layer
     * answer a revalidation (304) without any other work.
     */
    currentEtag(): string | null {
      if (projection.lastApplied < 0) return null;
      return projection.snapshot(todayInShanghai()).etag;
    },

    close(): void {
      closed = true;
      clearInterval(poll);
    },

    /**
     * "Am I in a zone?" for a point: every zone containing it (innermost first), or the nearest
     * zones in force when none does; the nearest designated hospitals; the county's whole township
     * hotline table (the service has no township outlines, so it marks a township only when the
     * resident chose one, `township`). For a township chosen without a point (`area`), the zones
     * in force in its county stand in for the zones "here", and the answer says so (`scope`).
     */
    async lookup(input: LookupInput) {
      const chosen = input.township ?? null;
      await listening;
      const ref = await lookupReference();
      // Without county outlines a place in Liaocheng would be answered "outside Liaocheng": refused.
      if (!ref.hasRegions) throw new AppError('county_outlines_missing', 503, 'No county outlines are loaded yet, so where this place lies cannot be told; try again later.');
      const snap = await this.zones();
      const township = chosen ? { code: chosen.code, name: chosen.name, county: chosen.county } : null;

      if (!('lon' in input)) {
        const shapes = snap.features as ZoneShape<PublicZoneProps>[];
        const region = ref.regionByCode(input.countyCode);
        if (!region) throw new AppError(ErrorCode.notFound, 404, `County ${input.countyCode} is not on file.`);
        const inCounty = zonesInRegion(shapes, snap.index, region).map((zone) => ({ zone, areaM2: areaOf(zone.geometry) }));
        return {
          scope: 'county' as const,
          point: null,
          inServiceArea: true,
          region: { code: region.code, name: region.name },
          township,
          zones: innermostFirst(inCounty).map(({ zone }) => zoneAnswer(zone)),
          nearestZones: [],
          hospitals: ref.hospitalsIn(region, NEAREST_HOSPITALS),
          ...hotlineAnswer(ref, region.name, chosen),
        };
      }

      const found = pointLookup(ref, snap, input, deps.serviceArea);
      if (!found.region) return outsideAnswer(found.point);
      // A township chosen in another county than the point's says nothing about this place.
      const sameCounty = township && township.county === found.region.name ? township : null;
      return {
        scope: 'point' as const,
        point: found.point,
        inServiceArea: true,
        region: found.region,
        township: sameCounty,
        zones: found.zones.map(zoneAnswer),
        nearestZones: found.nearest.map((n) => ({ ...zoneAnswer(n.zone), distanceMeters: n.distanceMeters })),
        hospitals: ref.nearestHospitals(found.lon, found.lat, NEAREST_HOSPITALS),
        ...hotlineAnswer(ref, found.region.name, chosen),
      };
    },

    /**
     * The point lookup of `lookup` (no township chosen) as its JSON text, at once, or null while the
     * lookup reference or today's map is still loading (then ask `lookup`). The answer a city asks
     * for by the thousand after a bulletin: the parts that do not depend on the point (each zone's
     * properties, the county's hotline table) are serialized once and kept, and no promise is made,
     * so a lookup costs its geometry and the text of its few numbers. The same text as
     * `JSON.stringify(await lookup(input))` (tests/api/lookup.test.ts compares them point by point).
     */
    lookupText(input: PointInput): string | null {
      const ref = referenceNow();
      const snap = todayNow();
      if (!ref || !snap) return null;
      const found = pointLookup(ref, snap, input, deps.serviceArea);
      if (!found.region) return JSON.stringify(outsideAnswer(found.point));
      let zones = '';
      for (const zone of found.zones) zones += (zones ? ',' : '') + zoneText(zone);
      let nearest = '';
      // A zone's text ends with its closing brace: the distance goes in as the last property.
      for (const n of found.nearest) nearest += `${nearest ? ',' : ''}${zoneText(n.zone).slice(0, -1)},"distanceMeters":${JSON.stringify(n.distanceMeters)}}`;
      return (
        `{"scope":"point","point":{"lon":${found.point.lon},"lat":${found.point.lat}},"inServiceArea":true,"region":${regionText(found.region)},"township":null,` +
        `"zones":[${zones}],"nearestZones":[${nearest}],"hospitals":${ref.nearestHospitalsText(found.lon, found.lat, NEAREST_HOSPITALS)},${hotlineText(ref, found.region.name)}}`
      );
    },
  };
  return service;
}
export type PublicService = ReturnType<typeof publicService>;

const round = (v: number) => Math.round(v * 1e7) / 1e7;

/** A point to look up, in the coordinate system it was copied in. */
type PointInput = { lon: number; lat: number; crs: 'wgs84' | 'gcj02' | 'bd09' };

/**
 * What a point lookup finds: the point in WGS84 (`lon`, `lat`, and `point` as answered, rounded),
 * its county (null outside the service area), and the zones containing it (innermost first) or
 * else the nearest zones in force.
 */
function pointLookup(ref: LookupReference, snap: PublicSnapshot, input: PointInput, serviceArea: [number, number, number, number]) {
  const { lon, lat } = input.crs === 'gcj02' ? gcj02ToWgs84(input.lon, input.lat) : input.crs === 'bd09' ? bd09ToWgs84(input.lon, input.lat) : input;
  const [minLon, minLat, maxLon, maxLat] = serviceArea;
  const point = { lon: round(lon), lat: round(lat) };
  const region = lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat ? ref.regionAt(lon, lat) : null;
  if (!region) return { lon, lat, point, region: null, zones: [], nearest: [] };
  const shapes = snap.features as ZoneShape<PublicZoneProps>[];
  const candidates = snap.index ? snap.index.search(lon, lat, lon, lat) : [];
  const containing = candidates
    .map((i) => shapes[i])
    .filter((f) => booleanPointInPolygon([lon, lat], f.geometry))
    .map((zone) => ({ zone, areaM2: areaOf(zone.geometry) }));
  const zones = innermostFirst(containing).map((c) => c.zone);
  const nearest = zones.length ? [] : nearestZones(shapes, snap.index, lon, lat, NEAREST_ZONES);
  return { lon, lat, point, region, zones, nearest };
}

/** A zone as a lookup answers it: what a resident needs of it, without its outline. */
function zoneAnswer(zone: ZoneShape<PublicZoneProps>) {
  const { id, kind, name, measures, caseFreeDays, lastCaseOn, nextChangeOn, nextKind, liftsNext, waitingFor, edition, designatedOn, sample } = zone.properties;
  return { id, kind, name, measures, caseFreeDays, lastCaseOn, nextChangeOn, nextKind, liftsNext, waitingFor, edition, designatedOn, sample };
}

/** `zoneAnswer`'s JSON, made once per zone of a map (a zone's properties object is that map's). */
const zoneTexts = new WeakMap<object, string>();
function zoneText(zone: ZoneShape<PublicZoneProps>): string {
  let text = zoneTexts.get(zone.properties);
  if (text === undefined) zoneTexts.set(zone.properties, (text = JSON.stringify(zoneAnswer(zone))));
  return text;
}

/** A county's `{ code, name }` as JSON text, once per region object of a reference. */
const regionTexts = new WeakMap<object, string>();
function regionText(region: { code: string; name: string }): string {
  let text = regionTexts.get(region);
  if (text === undefined) regionTexts.set(region, (text = JSON.stringify(region)));
  return text;
}

/**
 * The county's hotline table for the answer (the service has no township outlines, so it marks a
 * township only when the resident chose it, `chosen`).
 */
function hotlineAnswer(ref: LookupReference, county: string, chosen: Township | null) {
  // The chosen township marks its row only in its own county's table.
  const chosenKey = chosen && chosen.county === county ? (name: string) => townshipKey(name) === townshipKey(chosen.name) : null;
  const hotlines = ref.hotlineTable(county, chosenKey);
  const picked = hotlines?.rows.find((r) => r.chosen);
  // `hotline` is kept for older clients: the chosen township's row, else the county's numbers
  // with no township named (the service does not know it).
  const hotline = hotlines ? { county, township: picked?.township ?? null, phones: picked ? picked.phones : hotlines.rows.flatMap((r) => r.phones), approximate: false } : null;
  return {
    hotlines,
    hotline,
    ...(hotlines ? {} : { message: { zh: '本县（市、区）的乡镇咨询报备电话未收录，请拨打所在乡镇（街道）公布的电话。', en: 'The township hotlines of this county are not on file; call the number your township office published.' } }),
  };
}

/** `hotlineAnswer` with no township chosen, as the properties of a JSON object's text, once per county and reference. */
const hotlineTexts = new WeakMap<LookupReference, Map<string, string>>();
function hotlineText(ref: LookupReference, county: string): string {
  let byCounty = hotlineTexts.get(ref);
  if (!byCounty) hotlineTexts.set(ref, (byCounty = new Map()));
  let text = byCounty.get(county);
  if (text === undefined) byCounty.set(county, (text = JSON.stringify(hotlineAnswer(ref, county, null)).slice(1, -1)));
  return text;
}

/** The answer for a point outside Liaocheng. */
function outsideAnswer(point: { lon: number; lat: number }) {
  return {
    scope: 'point' as const,
    point,
    inServiceArea: false,
    region: null,
    township: null,
    zones: [],
    nearestZones: [],
    hospitals: [],
    hotlines: null,
    hotline: null,
    message: {
      zh: '该位置不在聊城市服务范围内，本地图只显示聊城市的风险区域。',
      en: 'This place is outside Liaocheng; this map shows the risk zones of Liaocheng only.',
    },
  };
}

/** Each zone outline's area (for the innermost-first order), computed once per outline object. */
const areas = new WeakMap<object, number>();
function areaOf(geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon): number {
  let a = areas.get(geometry);
  if (a === undefined) areas.set(geometry, (a = turfArea(geometry)));
  return a;
}

/** How many zones in force a lookup outside every zone names, nearest first. */
const NEAREST_ZONES = 3;
/** How many designated hospitals a lookup names, nearest first. */
const NEAREST_HOSPITALS = 3;
/** The warm-up's lookups at start: a grid of this many points a side over the service area. */
const WARM_UP_GRID = 40;

/** A lookup: a point (in the coordinate system it was copied in), or a county when only a township was chosen. */
export type LookupInput =
  | { lon: number; lat: number; crs: 'wgs84' | 'gcj02' | 'bd09'; township?: Township | null }
  | { countyCode: string; township?: Township | null };

/** What a resident would compare between two maps of the same day. */
type DayState = Pick<PublicZoneProps, 'kind' | 'lastCaseOn' | 'caseFreeDays' | 'nextChangeOn' | 'nextKind' | 'waitingFor'>;
function dayState(p: PublicZoneProps): DayState {
  return { kind: p.kind, lastCaseOn: p.lastCaseOn, caseFreeDays: p.caseFreeDays, nextChangeOn: p.nextChangeOn, nextKind: p.nextKind, waitingFor: p.waitingFor };
}
