// OGC API – Features, Part 1 (Core) with GeoJSON (OGC 17-069r4), so desktop GIS such as QGIS can
// load the public map. Only what the public map shows is served: the zones in force (from the
// public snapshot, never drafts or pending edits), checkpoints without their point leaders and
// phones, and the facilities.

import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { AppError, type ErrorCode } from '../errors';
import type { LonLatBox } from '../geo/geojson';
import type { PublicSnapshot, PublicZoneFeature } from '../public/public.service';
import { addDays, todayInShanghai } from '../../../contract/dates';
import { evaluate, type Cql2Expr, type QueryableType } from './cql2';
import { CRS, CRS_LIST, boundedDays, type CrsUri, type DayRange, type SortKey } from './ogc.params';
import { CHECKPOINTS_TABLE, FACILITIES_TABLE, ogcRepo, type PointRow, type PointTable } from './ogc.repo';
import { GEOJSON, JSON_TYPE, featureJson, itemsDocument, pagingLinks, plainQuery, sortFeatures, type CollectionRef, type PlainFeature } from './ogc.page';
import type { WorkerPool } from '../workers/pool';
import { Task, asBuffer, type OgcPageInput } from '../workers/tasks';
import type { MapSource, SharedMapCache } from '../workers/shared-maps';

/**
 * The conformance classes this API implements, and only those: Part 1 Core and GeoJSON, Part 2
 * (crs, bbox-crs), Part 3 (queryables, filter on items) with CQL2 text and JSON, Basic CQL2,
 * LIKE/BETWEEN/IN, S_INTERSECTS on every geometry type, and all the T_ functions.
 * `properties` and `sortby` are offered too (they are in the OpenAPI document), but their parts
 * are still drafts with no stable conformance URI, so none is declared for them.
 */
export const OGC_CONFORMANCE_CLASSES = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
  'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
  'http://www.opengis.net/spec/cql2/1.0/conf/cql2-json',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2',
  'http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus',
  'http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions',
] as const;

/** WGS84 longitude/latitude, the default CRS. */
export const CRS84 = CRS.crs84;

/** What can be filtered and sorted on, per collection (GET …/queryables). */
export const QUERYABLES: Record<CollectionId, Record<string, QueryableType>> = {
  zones: {
    id: 'string', kind: 'string', name: 'string', status: 'string', designatedOn: 'date', publishedAt: 'date-time',
    lastCaseOn: 'date', caseFreeDays: 'integer', nextChangeOn: 'date', nextKind: 'string', liftsNext: 'boolean',
    waitingFor: 'string', edition: 'string', sample: 'boolean', publication: 'integer', geometry: 'geometry',
  },
  checkpoints: { id: 'string', name: 'string', road: 'string', direction: 'string', sample: 'boolean', geometry: 'geometry' },
  facilities: {
    id: 'string', kind: 'string', name: 'string', address: 'string', phone: 'string', beds: 'integer', rooms: 'integer',
    approximate: 'boolean', placement: 'string', sample: 'boolean', note: 'string', source: 'string', geometry: 'geometry',
  },
};

const GEOMETRY_FORMAT: Record<CollectionId, string> = { zones: 'geometry-multipolygon', checkpoints: 'geometry-point', facilities: 'geometry-point' };

/** The properties `properties=` may name: the queryables but the geometry, and the zones' measures. */
export const RETURNABLES: Record<CollectionId, readonly string[]> = {
  zones: [...Object.keys(QUERYABLES.zones).filter((k) => k !== 'geometry'), 'measures'],
  checkpoints: Object.keys(QUERYABLES.checkpoints).filter((k) => k !== 'geometry'),
  facilities: Object.keys(QUERYABLES.facilities).filter((k) => k !== 'geometry'),
};
export const SORTABLES = (id: CollectionId) => Object.keys(QUERYABLES[id]).filter((k) => k !== 'geometry');

/** Stable error codes of the OGC endpoints (bbox errors keep the codes of geo/geojson-codes). */
export const OgcErrorCode = {
  collectionNotFound: 'collection_not_found',
  featureNotFound: 'feature_not_found',
  formatUnsupported: 'format_unsupported',
  limitInvalid: 'limit_invalid',
  offsetInvalid: 'offset_invalid',
} as const satisfies Record<string, ErrorCode>;

/**
 * Pages of up to this many features are built in a lane of their own on the worker threads: in the
 * mixed bench, small bbox pages waited 20 s behind bursts of fifty pages of a thousand zones.
 */
const SMALL_PAGE_LIMIT = 100;

/** The spec's example default page size (OGC 17-069r4, /req/core/fc-limit-definition). */
export const DEFAULT_LIMIT = 10;

const OPENAPI = 'application/vnd.oai.openapi+json;version=3.0';
/** The media type of a queryables document (OGC API – Features Part 3). */
export const SCHEMA_JSON = 'application/schema+json';

/** Collection ids, in the order the collections are listed. */
export const COLLECTION_IDS = ['zones', 'checkpoints', 'facilities'] as const;
export type CollectionId = (typeof COLLECTION_IDS)[number];

const COLLECTIONS: Record<CollectionId, { title: string; description: string }> = {
  zones: {
    title: '风险区域 Risk zones in force',
    description:
      'Sealed (封控区), controlled (管控区) and precaution (防范区) zones in force today, as published; ' +
      'same properties as GET /api/public/zones.',
  },
  checkpoints: {
    title: '入聊通道服务点 Entry checkpoints',
    description: 'Checkpoints on the roads into Liaocheng (name, road, direction).',
  },
  facilities: {
    title: '医疗与隔离设施 Medical and isolation facilities',
    description:
      'Designated hospitals, yellow-code hospitals, fangcang shelters, isolation sites and fever clinics; ' +
      'approximate positions are marked by `approximate` and `placement`.',
  },
};

const POINT_TABLES: Record<Exclude<CollectionId, 'zones'>, PointTable> = {
  checkpoints: CHECKPOINTS_TABLE,
  facilities: FACILITIES_TABLE,
};

/** The parsed query of an items request. */
export interface ItemsQuery {
  /** Only features intersecting this box (lon/lat, whatever bbox-crs it came in); null for all. */
  bbox: LonLatBox | null;
  /** bbox-crs as given, repeated in the links. @defaultValue CRS84 */
  bboxCrs: CrsUri;
  /** The zones in force on these days; ignored on collections without time (/req/core/fc-time-response C). */
  datetime: DayRange | null;
  /** Properties to return; null for all. */
  properties: string[] | null;
  /** Sort keys; features are in id order without them, and after them as the last key. */
  sortby: SortKey[];
  /** A parsed CQL2 filter, evaluated in memory. */
  filter: Cql2Expr | null;
  /** The filter parameters as given (filter, filter-lang, filter-crs), repeated in the links. */
  filterParams: [string, string][];
  /** The CRS of the response's coordinates. @defaultValue CRS84 */
  crs: CrsUri;
  /** Page size, already capped at the configured maximum. */
  limit: number;
  /** Features skipped before the page. @defaultValue 0 */
  offset: number;
  /** Repeated in the paging links when the client asked with `f=json`. */
  format: 'json' | null;
}

/** A serialized items page ready to send. */
export interface ItemsPage {
  json: Buffer;
  /** Set when the page is built from the cached zone snapshot (which changes only on publication). */
  etag: string | null;
  /** The gzip bytes, made once per cached page on a worker thread with the page; null for pages that are not cached. */
  gzip: (() => Promise<Buffer>) | null;
  /** Whether the page follows the public zone snapshot (revalidate) or a slowly changing table. */
  cache: 'snapshot' | 'table';
}

/** Bounds of the serialized-page cache of the zones collection (pages of maps no longer asked for age out first). */
const MAX_CACHED_PAGES = 256;
const MAX_CACHED_BYTES = 64 * 1024 * 1024;

/** A zones page built (or being built) on a worker thread; concurrent requests share the one build. */
interface CachedPage {
  built: Promise<{ json: Buffer; gzip: Buffer }>;
  etag: string;
  bytes: number;
}

/** Dependencies of the OGC service. */
export interface OgcDeps {
  /** Knex for reads (the replica when configured). */
  reader: Knex;
  /** The cached snapshot of the zones in force. */
  zones: () => Promise<PublicSnapshot>;
  /** Spatial extent advertised for every collection. */
  serviceArea: LonLatBox;
  /** PUBLIC_URL, without a trailing slash: the base of every link. */
  publicUrl: string;
  /** The map as published at the end of a day; today's map for today or no day. */
  zonesOn?: (day: string) => Promise<PublicSnapshot>;
  /**
   * The bytes of the map as published at the end of a past day, rendered and compressed on a
   * worker thread once and kept (the public map's `asOf`); when given, a `datetime` of past days
   * costs the event loop no rendering of its own.
   */
  pastMapOn?: (day: string) => Promise<{ etag: string; gzip: Buffer }>;
  /** Worker threads: the zones' pages are built and compressed there, never on the event loop. */
  workers: WorkerPool;
  /** Maps shared with the worker threads (one cache per context). */
  sharedMap: SharedMapCache;
}

/**
 * The OGC API – Features read side. Every link is absolute, as the spec asks, and built from the
 * configured PUBLIC_URL only: a link taken from the request's Host or X-Forwarded-Host would let
 * any client put its own address into pages that caches share.
 */
export function ogcService(deps: OgcDeps) {
  const repo = ogcRepo(deps.reader);

  const root = `${deps.publicUrl}/ogc`;
  const collectionUrl = (id: CollectionId) => `${root}/collections/${id}`;
  const collectionRef = (id: CollectionId): CollectionRef => ({ url: collectionUrl(id), title: COLLECTIONS[id].title });

  /** Where each zone of a map is, for single features (GET …/items/{id}). */
  const positions = new WeakMap<PublicSnapshot, Map<string, number>>();
  const positionOf = (snap: PublicSnapshot, id: string) => {
    let byId = positions.get(snap);
    if (!byId) positions.set(snap, (byId = new Map(snap.features.map((f, i) => [f.id, i]))));
    return byId.get(id);
  };

  /** Pages by map and query, least recently used first. */
  const pages = new Map<string, CachedPage>();
  let pageBytes = 0;
  const dropPage = (key: string, page: CachedPage) => {
    if (pages.get(key) !== page) return;
    pages.delete(key);
    pageBytes -= page.bytes;
  };

  /**
   * The maps a `datetime` asks for, from the record of publications: for an instant, the map as
   * published at the end of its Asia/Shanghai day (today's map for today); for an interval, the
   * maps of its days, whose union (every zone in force on any of them, each with its state on the
   * last) the page's worker makes. The map changes only on days with a publication, so only those
   * days and the interval's ends are read. Days after today have no map yet and add nothing.
   */
  const zonesFor = async (range: DayRange | null): Promise<MapSource[]> => {
    const ofSnapshot = (snap: PublicSnapshot): MapSource => ({ etag: snap.etag, gzip: () => snap.gzip() });
    if (!range) return [ofSnapshot(await deps.zones())];
    const today = todayInShanghai();
    const zonesOn = async (day: string): Promise<MapSource> => {
      if (day < today && deps.pastMapOn) {
        const past = await deps.pastMapOn(day);
        return { etag: past.etag, gzip: async () => past.gzip };
      }
      return ofSnapshot(await (day < today && deps.zonesOn ? deps.zonesOn(day) : deps.zones()));
    };
    if (range.from !== null && range.from === range.to) return range.from > today ? [] : [await zonesOn(range.from)];
    const days = boundedDays(range, range.from ? null : await repo.firstPublicationDay(), today);
    if (!days) return [];
    const changed = days.from < days.to ? await repo.publicationDays(addDays(days.from, 1), days.to) : [];
    const snaps = [];
    for (const day of [days.from, ...changed.filter((d) => d < days.to), ...(days.to > days.from ? [days.to] : [])]) snaps.push(await zonesOn(day));
    return snaps;
  };

  const zoneItems = async (q: ItemsQuery): Promise<ItemsPage> => {
    const snaps = await zonesFor(q.datetime);
    const mapsKey = snaps.map((x) => x.etag).join('|');
    // The maps and the query alone are the key (its canonical self link): links come from
    // PUBLIC_URL, so no request header can add entries.
    const query = pagingLinks(collectionRef('zones'), q, 0, 0)[0].href;
    const key = `${mapsKey} ${query}`;
    let page = pages.get(key);
    if (page) {
      // Least recently used goes first: re-inserting moves the page to the end of the Map's order.
      pages.delete(key);
      pages.set(key, page);
    } else {
      const built = Promise.all(snaps.map(deps.sharedMap))
        .then((maps) =>
          deps.workers.run<{ json: Uint8Array; gzip: Uint8Array; matched: number }>(Task.ogcPage, { maps, query: q, collection: collectionRef('zones') } satisfies OgcPageInput, {
            // Small pages (a client's view of a few streets) take turns with large ones rather
            // than wait behind every page of a thousand zones asked before them.
            lane: q.limit > SMALL_PAGE_LIMIT ? `${Task.ogcPage}:large` : Task.ogcPage,
          }),
        )
        .then((out) => ({ json: asBuffer(out.json), gzip: asBuffer(out.gzip) }));
      // Weak: the same maps and query give the same features, while timeStamp may differ.
      const created: CachedPage = { built, etag: `W/"${crypto.createHash('sha1').update(mapsKey).update(query).digest('base64url')}"`, bytes: 0 };
      page = created;
      pages.set(key, created);
      built.then(
        (out) => {
          if (pages.get(key) !== created) return;
          created.bytes = out.json.length + out.gzip.length;
          pageBytes += created.bytes;
          for (const [oldKey, old] of pages) {
            if (pages.size <= MAX_CACHED_PAGES && pageBytes <= MAX_CACHED_BYTES) break;
            if (old !== created) dropPage(oldKey, old);
          }
        },
        // A refusal (a full queue) or a failure is not kept: the next request builds again. The
        // caller gets the error from `built` itself.
        () => dropPage(key, created),
      );
      while (pages.size > MAX_CACHED_PAGES) {
        const [oldKey, old] = pages.entries().next().value!;
        dropPage(oldKey, old);
      }
    }
    const { json, gzip } = await page.built;
    return { json, etag: page.etag, cache: 'snapshot', gzip: () => Promise.resolve(gzip) };
  };

  const pointProperties = (row: PointRow): Record<string, unknown> => {
    const { geometry: _geometry, ...properties } = row;
    return properties;
  };
  // ST_AsGeoJSON already returns JSON text; in a page it is spliced in rather than parsed and re-encoded.
  const pointFeature = (row: PointRow): string =>
    `{"type":"Feature","id":${JSON.stringify(row.id)},"geometry":${row.geometry},"properties":${JSON.stringify(pointProperties(row))}}`;
  const plainPoint = (row: PointRow): PlainFeature => ({ id: row.id, geometry: JSON.parse(row.geometry), properties: pointProperties(row) });

  const pointItems = async (collection: Exclude<CollectionId, 'zones'>, q: ItemsQuery): Promise<ItemsPage> => {
    const layer = POINT_TABLES[collection];
    let matched: number;
    let features: string[];
    if (!q.filter && !q.sortby.length) {
      const page = await repo.page(layer, q.bbox, q.limit, q.offset);
      matched = page.matched;
      features = page.rows.map((row) => (plainQuery(q) ? pointFeature(row) : featureJson(plainPoint(row), q)));
    } else {
      // Filters and sort keys are evaluated in memory, as for the zones: the point layers are a few
      // hundred rows, and a filter then never comes near SQL.
      let all = (await repo.all(layer, q.bbox)).map(plainPoint);
      if (q.filter) all = all.filter((f) => evaluate(q.filter!, f) === true);
      if (q.sortby.length) all = sortFeatures(all, (f) => f, q.sortby);
      matched = all.length;
      features = all.slice(q.offset, q.offset + q.limit).map((f) => featureJson(f, q));
    }
    const json = itemsDocument(features, matched, pagingLinks(collectionRef(collection), q, features.length, matched));
    return { json, etag: null, gzip: null, cache: 'table' };
  };

  const collectionDocument = (id: CollectionId) => ({
    id,
    title: COLLECTIONS[id].title,
    description: COLLECTIONS[id].description,
    itemType: 'feature',
    crs: [...CRS_LIST],
    storageCrs: CRS84,
    extent: {
      spatial: { bbox: [deps.serviceArea], crs: CRS84 },
      // The zones have a time: the days of the record (open ends: from the first publication to now).
      ...(id === 'zones' ? { temporal: { interval: [[null, null]], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } } : {}),
    },
    links: [
      { href: collectionUrl(id), rel: 'self', type: JSON_TYPE, title: 'this collection' },
      { href: `${collectionUrl(id)}/items`, rel: 'items', type: GEOJSON, title: COLLECTIONS[id].title },
      { href: `${collectionUrl(id)}/queryables`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables', type: SCHEMA_JSON, title: 'the properties a filter may use' },
    ],
  });

  const knownCollection = (id: string): CollectionId => {
    if ((COLLECTION_IDS as readonly string[]).includes(id)) return id as CollectionId;
    throw new AppError(OgcErrorCode.collectionNotFound, 404, `No collection ${JSON.stringify(id)}.`, { collections: [...COLLECTION_IDS] });
  };

  return {
    knownCollection,

    /** The landing page: what the API is and where its parts are. */
    landing() {
      return {
        title: '聊城市疫情风险区域 Liaocheng epidemic risk zones',
        description: 'The public risk map of Liaocheng as OGC API – Features: zones in force, entry checkpoints and medical facilities.',
        links: [
          { href: root, rel: 'self', type: JSON_TYPE, title: 'this document' },
          { href: `${root}/api`, rel: 'service-desc', type: OPENAPI, title: 'the API definition' },
          { href: `${root}/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'conformance classes implemented' },
          { href: `${root}/collections`, rel: 'data', type: JSON_TYPE, title: 'the feature collections' },
        ],
      };
    },

    /** The conformance declaration. */
    conformance() {
      return { conformsTo: [...OGC_CONFORMANCE_CLASSES] };
    },

    /** Every collection with its extent and links. */
    collections() {
      return {
        links: [{ href: `${root}/collections`, rel: 'self', type: JSON_TYPE, title: 'this document' }],
        collections: COLLECTION_IDS.map((id) => collectionDocument(id)),
      };
    },

    /** The queryables of a collection as a JSON Schema (Part 3, /req/queryables/get-queryables-response). */
    queryables(id: string) {
      const collection = knownCollection(id);
      const schemaOf = (type: QueryableType) =>
        type === 'geometry'
          ? { format: GEOMETRY_FORMAT[collection], 'x-ogc-role': 'primary-geometry' }
          : type === 'date' || type === 'date-time'
            ? { type: 'string', format: type }
            : { type };
      return {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: `${collectionUrl(collection)}/queryables`,
        type: 'object',
        title: COLLECTIONS[collection].title,
        properties: Object.fromEntries(
          Object.entries(QUERYABLES[collection]).map(([name, type]) => [name, { title: name, ...schemaOf(type), ...(name === 'id' ? { 'x-ogc-role': 'id' } : {}) }]),
        ),
        additionalProperties: false,
      };
    },

    /** One collection; 404 `collection_not_found` for an unknown id. */
    collection(id: string) {
      return collectionDocument(knownCollection(id));
    },

    /** One page of a collection's features with numberMatched, numberReturned and paging links. */
    async items(id: string, q: ItemsQuery): Promise<ItemsPage> {
      const collection = knownCollection(id);
      if (collection === 'zones') return zoneItems(q);
      return pointItems(collection, q);
    },

    /** One feature with links to itself and its collection; 404 `feature_not_found` when unknown. */
    async item(id: string, featureId: string, q: Pick<ItemsQuery, 'properties' | 'crs'> = { properties: null, crs: CRS.crs84 }) {
      const collection = knownCollection(id);
      let feature: PublicZoneFeature | PlainFeature | undefined;
      if (collection === 'zones') {
        const snap = await deps.zones();
        const i = positionOf(snap, featureId);
        feature = i === undefined ? undefined : snap.features[i];
      } else {
        const row = await repo.get(POINT_TABLES[collection], featureId);
        feature = row && { type: 'Feature', ...plainPoint(row) };
      }
      if (!feature) {
        throw new AppError(OgcErrorCode.featureNotFound, 404, `No feature ${JSON.stringify(featureId)} in ${collection}.`);
      }
      const self = `${collectionUrl(collection)}/items/${encodeURIComponent(featureId)}`;
      const shown = JSON.parse(featureJson(feature as unknown as PlainFeature, q)) as Record<string, unknown>;
      return {
        ...shown,
        links: [
          { href: self, rel: 'self', type: GEOJSON, title: 'this feature' },
          { href: collectionUrl(collection), rel: 'collection', type: JSON_TYPE, title: COLLECTIONS[collection].title },
        ],
      };
    },

    /** A compact OpenAPI 3.0 description of these endpoints (the landing page's service-desc). */
    openApi(maxLimit: number) {
      const json = { content: { [JSON_TYPE]: { schema: { type: 'object' } } } };
      const geojson = { content: { [GEOJSON]: { schema: { type: 'object' } } } };
      const error = { description: 'Error: { error: { code, message, details } }', ...json };
      const f = { name: 'f', in: 'query', required: false, schema: { type: 'string', enum: ['json'] } };
      const collectionId = { name: 'collectionId', in: 'path', required: true, schema: { type: 'string', enum: [...COLLECTION_IDS] } };
      const featureId = { name: 'featureId', in: 'path', required: true, schema: { type: 'string' } };
      const crsParam = (name: string, description: string) => ({ name, in: 'query', required: false, description, schema: { type: 'string', format: 'uri', enum: [...CRS_LIST], default: CRS84 } });
      const crs = crsParam('crs', 'CRS of the response; EPSG:4326 and EPSG:4490 are latitude first. The answer names it in Content-Crs.');
      const properties = { name: 'properties', in: 'query', required: false, style: 'form', explode: false, description: 'Only these properties are returned.', schema: { type: 'array', items: { type: 'string' } } };
      const text = (name: string, description: string, extra: object = {}) => ({ name, in: 'query', required: false, description, schema: { type: 'string', ...extra } });
      return {
        openapi: '3.0.3',
        info: { title: 'Liaocheng epidemic risk zones – OGC API Features', version: '1.0.0' },
        servers: [{ url: root }],
        paths: {
          '/': { get: { summary: 'Landing page', parameters: [f], responses: { 200: { description: 'Landing page', ...json }, 400: error } } },
          '/conformance': { get: { summary: 'Conformance classes', parameters: [f], responses: { 200: { description: 'Conformance', ...json }, 400: error } } },
          '/collections': { get: { summary: 'Feature collections', parameters: [f], responses: { 200: { description: 'Collections', ...json }, 400: error } } },
          '/collections/{collectionId}': {
            get: { summary: 'One collection', parameters: [collectionId, f], responses: { 200: { description: 'Collection', ...json }, 400: error, 404: error } },
          },
          '/collections/{collectionId}/items': {
            get: {
              summary: 'Features of a collection',
              parameters: [
                collectionId,
                { name: 'bbox', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } } },
                { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: maxLimit, default: DEFAULT_LIMIT } },
                { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 } },
                crsParam('bbox-crs', 'CRS of bbox; EPSG:4326 and EPSG:4490 take latitude first.'),
                text(
                  'datetime',
                  'Zones: the zones in force as published on the Asia/Shanghai day of an instant, or on any day of an interval a/b (open ends .. ; at most 366 days). ' +
                    'Checkpoints and facilities have no time: every feature matches (/req/core/fc-time-response C).',
                ),
                text('filter', 'A CQL2 filter on the queryables of the collection.'),
                text('filter-lang', 'The encoding of filter.', { enum: ['cql2-text', 'cql2-json'], default: 'cql2-text' }),
                crsParam('filter-crs', 'CRS of the geometry literals of filter.'),
                properties,
                text('sortby', 'Comma-separated properties, each with + (ascending, the default) or -; features are in id order after them.'),
                crs,
                f,
              ],
              responses: { 200: { description: 'Features', ...geojson }, 400: error, 404: error },
            },
          },
          '/collections/{collectionId}/items/{featureId}': {
            get: { summary: 'One feature', parameters: [collectionId, featureId, crs, properties, f], responses: { 200: { description: 'Feature', ...geojson }, 400: error, 404: error } },
          },
          '/collections/{collectionId}/queryables': {
            get: {
              summary: 'The properties a filter may use, as JSON Schema',
              parameters: [collectionId, f],
              responses: { 200: { description: 'Queryables', content: { [SCHEMA_JSON]: { schema: { type: 'object' } } } }, 404: error },
            },
          },
        },
      };
    },
  };
}

export type OgcService = ReturnType<typeof ogcService>;
