import zlib from 'node:zlib';
import Flatbush from 'flatbush';
import { bbox as turfBbox } from '@turf/turf';
import type { Knex } from 'knex';
import { publicationsRepo, type PublicationZoneRow } from './publications.repo';
import { compareForMap, featureJson, publicProperties, type MapOrderKey, type PublicZoneProps, type ZoneEntry } from './record';
import { ChunkedGzip } from './map-gzip';

/** A zone of the public map with its geometry. */
export interface PublicZoneFeature {
  type: 'Feature';
  id: string;
  geometry: GeoJSON.MultiPolygon;
  properties: PublicZoneProps;
}

/** One rendered public map: the features, their bytes, and an index for lookups. */
export interface PublicSnapshot {
  asOf: string;
  /** The last publication the map includes (0: none yet). */
  publication: number;
  features: PublicZoneFeature[];
  /**
   * The map's GeoJSON bytes, written on first use and then kept: lookups, tiles and routes need
   * only the features and the index, so a publication does not wait for megabytes of JSON.
   */
  json(): Buffer;
  /** Compressed on first use, off the main thread (zlib's thread pool), then kept. */
  gzip(): Promise<Buffer>;
  etag: string;
  index: Flatbush | null;
}

const COMMA = Buffer.from(',');

interface ProjectedZone extends ZoneEntry {
  geometryText: string;
  geometry: GeoJSON.MultiPolygon;
  bbox: number[];
  /** The feature's JSON (and its UTF-8 bytes) for `day`, kept until the zone or the day changes. */
  rendered: { day: string; props: PublicZoneProps; json: string; bytes: Buffer } | null;
}

/**
 * The public map as a projection of the record: each zone's latest entry, updated entry by entry
 * as publications are appended, never rebuilt from the facts. Each process keeps its own; the
 * NOTIFY of a publication (and a write in this process) makes it catch up.
 */
export class RecordProjection {
  private readonly zones = new Map<string, ProjectedZone>();
  private applied = -1;
  private catching: Promise<void> | null = null;
  private again = false;
  private cache: { key: string; snapshot: PublicSnapshot } | null = null;
  private readonly repo: ReturnType<typeof publicationsRepo>;
  /** Today's map compressed chunk by chunk, so a publication recompresses only what it changed. */
  private readonly gz = new ChunkedGzip();
  /**
   * The zones that entered, left, moved, were renamed or changed kind (what the layout depends on)
   * since the layout was last made: only they are placed again.
   */
  private readonly moved = new Set<string>();
  /** The zones in force in map order, and their spatial index, as the last snapshot made them. */
  private layout: { zones: ProjectedZone[]; index: Flatbush | null } | null = null;

  constructor(knex: Knex) {
    this.repo = publicationsRepo(knex);
  }

  /** The last publication applied (−1 before the first load). */
  get lastApplied(): number {
    return this.applied;
  }

  /**
   * Applies every publication appended since the last call. Concurrent calls share one read; a
   * call made while a read is running waits for one more, so it sees everything committed before it.
   */
  catchUp(): Promise<void> {
    if (this.catching) {
      this.again = true;
      return this.catching;
    }
    const run = (async () => {
      do {
        this.again = false;
        if (this.applied < 0) await this.loadAll();
        else this.apply(await this.repo.entriesAfter(this.applied));
      } while (this.again);
    })();
    this.catching = run;
    const done = () => {
      if (this.catching === run) this.catching = null;
    };
    run.then(done, done);
    return run;
  }

  private async loadAll(): Promise<void> {
    const latest = await this.repo.latestNumber();
    const entries = await this.repo.entriesAt(latest);
    this.zones.clear();
    for (const e of entries) this.set(e, e.geometry);
    this.applied = latest;
    // Anything appended between the two reads is applied on top.
    this.apply(await this.repo.entriesAfter(latest));
  }

  private apply(rows: PublicationZoneRow[]): void {
    for (const row of rows) {
      const geometryText = row.geometry ?? this.zones.get(row.zone_id)?.geometryText;
      // A zone's first entry always carries its geometry; one without can only follow another.
      if (geometryText) this.set(row, geometryText);
      if (row.publication > this.applied) this.applied = row.publication;
    }
  }

  private set(row: PublicationZoneRow, geometryText: string): void {
    const old = this.zones.get(row.zone_id);
    const same = old?.geometryText === geometryText;
    // The map's order and index hold while zones change only their dates (a case, a screening).
    if (!old || !same || old.inForce !== row.in_force || old.state.kind !== row.state.kind || old.state.name !== row.state.name) this.moved.add(row.zone_id);
    const geometry = same ? old!.geometry : (JSON.parse(geometryText) as GeoJSON.MultiPolygon);
    this.zones.set(row.zone_id, {
      publication: row.publication,
      inForce: row.in_force,
      state: row.state,
      geometryText,
      geometry,
      bbox: same ? old!.bbox : turfBbox(geometry),
      rendered: null,
    });
  }

  /** The map of `day` from the zones as the record stands now (today's map). */
  snapshot(day: string): PublicSnapshot {
    const key = `${this.applied}|${day}`;
    if (this.cache?.key === key) return this.cache.snapshot;
    const render1 = (z: ProjectedZone) => {
      if (z.rendered?.day !== day) {
        const props = publicProperties(z, day);
        const json = featureJson(props, z.geometryText);
        z.rendered = { day, props, json, bytes: Buffer.from(json) };
      }
    };
    if (!this.layout || this.moved.size > 0) {
      // A bulletin moves a few zones of thousands: they are taken out and put back in their place
      // (sorting the whole map again took tens of milliseconds of the event loop per publication).
      const zones =
        this.layout && this.moved.size <= RELAYOUT_LIMIT
          ? mapOrderAfter(this.layout.zones, [...this.moved].map((id) => this.zones.get(id)!), (z) => z.inForce, (z) => z.state)
          : [...this.zones.values()].filter((z) => z.inForce).sort((a, b) => compareForMap(a.state, b.state));
      this.moved.clear();
      this.layout = { zones, index: spatialIndex(zones.map((z) => z.bbox)) };
    }
    const { zones: inForce, index } = this.layout;
    // Entries replace zones' objects: the layout's list is refreshed with the current ones.
    for (let i = 0; i < inForce.length; i++) {
      const current = this.zones.get(inForce[i].state.id)!;
      inForce[i] = current;
      render1(current);
    }
    const snapshot = render(
      day,
      Math.max(this.applied, 0),
      inForce.map((z) => ({ props: z.rendered!.props, json: z.rendered!.json, bytes: z.rendered!.bytes, key: `${z.rendered!.props.id}@${z.publication}@${day}`, geometry: z.geometry, bbox: z.bbox })),
      this.gz,
      index,
    );
    this.cache = { key, snapshot };
    // A new version is asked for the moment it exists: its compression starts now, on zlib's threads.
    // The promise is kept: a request that asks for the gzip gets a failure itself, so none is lost here.
    snapshot.gzip().catch(() => undefined);
    return snapshot;
  }
}

/** Up to how many moved zones the layout is changed in place rather than sorted again. */
const RELAYOUT_LIMIT = 256;

/**
 * `previous` (in map order) with the `moved` items taken out and those still `shown` put back in
 * their place: the same list as sorting every shown item again, at the cost of one pass and a
 * binary search per moved item. An item of `previous` is matched to a moved one by id.
 */
export function mapOrderAfter<T>(previous: T[], moved: T[], shown: (item: T) => boolean, key: (item: T) => MapOrderKey): T[] {
  const movedIds = new Set(moved.map((m) => key(m).id));
  const list = previous.filter((item) => !movedIds.has(key(item).id));
  for (const item of moved) {
    if (!shown(item)) continue;
    const k = key(item);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareForMap(key(list[mid]), k) < 0) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, item);
  }
  return list;
}

/** Renders a map from entries read back from the record (a past day's map). */
export function renderEntries(day: string, publication: number, entries: (ZoneEntry & { geometry: string })[]): PublicSnapshot {
  const features = entries
    .filter((e) => e.inForce)
    .map((e) => {
      const props = publicProperties(e, day);
      const geometry = JSON.parse(e.geometry) as GeoJSON.MultiPolygon;
      return { props, json: featureJson(props, e.geometry), geometry, bbox: turfBbox(geometry) };
    })
    .sort((a, b) => compareForMap(a.props, b.props));
  return render(day, publication, features);
}

interface RenderPart {
  props: PublicZoneProps;
  json: string;
  geometry: GeoJSON.MultiPolygon;
  bbox: number[];
  /** The UTF-8 bytes of `json` and what names them, when kept from one version to the next. */
  bytes?: Buffer;
  key?: string;
}

/** An index of the boxes, in their order (null when there are none). */
function spatialIndex(boxes: number[][]): Flatbush | null {
  if (!boxes.length) return null;
  const index = new Flatbush(boxes.length);
  for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
  index.finish();
  return index;
}

function render(day: string, publication: number, parts: RenderPart[], gz?: ChunkedGzip, prebuiltIndex?: Flatbush | null): PublicSnapshot {
  const prefix = `{"type":"FeatureCollection","asOf":${JSON.stringify(day)},"publication":${publication},"features":[`;
  const suffix = ']}';
  const kept = gz && parts.every((p) => p.bytes && p.key) ? (parts as (RenderPart & { bytes: Buffer; key: string })[]) : null;
  let bytes: Buffer | null = null;
  const json = () => {
    if (bytes) return bytes;
    if (kept) {
      // Joining kept bytes is a copy; joining the strings would encode megabytes of UTF-8 again.
      const pieces: Buffer[] = [Buffer.from(prefix)];
      kept.forEach((p, i) => {
        if (i > 0) pieces.push(COMMA);
        pieces.push(p.bytes);
      });
      pieces.push(Buffer.from(suffix));
      return (bytes = Buffer.concat(pieces));
    }
    return (bytes = Buffer.from(`${prefix}${parts.map((p) => p.json).join(',')}${suffix}`));
  };
  const index = prebuiltIndex !== undefined ? prebuiltIndex : spatialIndex(parts.map((p) => p.bbox));
  let gzip: Promise<Buffer> | null = null;
  return {
    asOf: day,
    publication,
    features: parts.map((p) => ({ type: 'Feature', id: p.props.id, geometry: p.geometry, properties: p.props })),
    json,
    // A large map is compressed fast rather than small: level 1 keeps most of the gain on
    // repetitive coordinate digits.
    gzip: () =>
      (gzip ??= kept
        ? gz!.gzip(Buffer.from(prefix), kept, Buffer.from(suffix))
        : new Promise<Buffer>((resolve, reject) =>
            zlib.gzip(json(), { level: json().length > 1_000_000 ? 1 : 6 }, (err, out) => (err ? reject(err) : resolve(out))),
          )),
    // The same record and the same day always give the same bytes, so they name the version.
    etag: `"r${publication}-${day}"`,
    index,
  };
}
