// OGC API – Features, Part 1 (Core) with GeoJSON (OGC 17-069r4), so desktop GIS such as QGIS can
// load the public map. Only what the public map shows is served: the zones in force (from the
// public snapshot, never drafts or pending edits), checkpoints without their point leaders and
// phones, and the facilities.

import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type { Knex } from 'knex';
import { bboxPolygon, booleanIntersects } from '@turf/turf';
import { AppError } from '../errors';
import type { LonLatBox } from '../geo/geojson';
import type { PublicSnapshot, PublicZoneFeature } from '../public/public.service';
import { CHECKPOINTS_TABLE, FACILITIES_TABLE, ogcRepo, type PointRow, type PointTable } from './ogc.repo';

/** The conformance classes this API implements, and only those. */
export const OGC_CONFORMANCE_CLASSES = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
] as const;

/** WGS84 longitude/latitude, the only CRS of Part 1. */
export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

/** Stable error codes of the OGC endpoints (bbox errors keep the codes of geo/geojson-codes). */
export const OgcErrorCode = {
  collectionNotFound: 'collection_not_found',
  featureNotFound: 'feature_not_found',
  formatUnsupported: 'format_unsupported',
  limitInvalid: 'limit_invalid',
  offsetInvalid: 'offset_invalid',
} as const;

/** The spec's example default page size (OGC 17-069r4, /req/core/fc-limit-definition). */
export const DEFAULT_LIMIT = 10;

const GEOJSON = 'application/geo+json';
const JSON_TYPE = 'application/json';
const OPENAPI = 'application/vnd.oai.openapi+json;version=3.0';

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
  /** Only features intersecting this box; null for all. */
  bbox: LonLatBox | null;
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
  /** The gzip bytes, computed once per cached page; null for pages that are not cached. */
  gzip: (() => Buffer) | null;
  /** Whether the page follows the public zone snapshot (revalidate) or a slowly changing table. */
  cache: 'snapshot' | 'table';
}

/** Bounds of the serialized-page cache of the zones collection, per snapshot. */
const MAX_CACHED_PAGES = 256;
const MAX_CACHED_BYTES = 64 * 1024 * 1024;

interface CachedPage {
  json: Buffer;
  etag: string;
  gzipped: Buffer | null;
}

/** What the zones collection derives once per public snapshot. */
interface ZoneView {
  /** Snapshot indices in id order: pages are sorted by id so paging is stable. */
  byId: number[];
  /** rank[i] is the position of snapshot feature i in id order. */
  rank: Int32Array;
  /** Each feature serialized once. */
  serialized: string[];
  indexOfId: Map<string, number>;
  pages: Map<string, CachedPage>;
  pageBytes: number;
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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
}

/**
 * The OGC API – Features read side. Every link is absolute, as the spec asks, and built from the
 * configured PUBLIC_URL only: a link taken from the request's Host or X-Forwarded-Host would let
 * any client put its own address into pages that caches share.
 */
export function ogcService(deps: OgcDeps) {
  const repo = ogcRepo(deps.reader);
  const views = new WeakMap<PublicSnapshot, ZoneView>();

  const root = `${deps.publicUrl}/ogc`;
  const collectionUrl = (id: CollectionId) => `${root}/collections/${id}`;

  const zoneView = (snap: PublicSnapshot): ZoneView => {
    let view = views.get(snap);
    if (view) return view;
    const ids = snap.features.map((f) => f.id);
    const byId = ids.map((_, i) => i).sort((a, b) => compareIds(ids[a], ids[b]));
    const rank = new Int32Array(ids.length);
    byId.forEach((i, pos) => (rank[i] = pos));
    view = {
      byId,
      rank,
      serialized: snap.features.map((f) => JSON.stringify(f)),
      indexOfId: new Map(ids.map((id, i) => [id, i])),
      pages: new Map(),
      pageBytes: 0,
    };
    views.set(snap, view);
    return view;
  };

  /** Snapshot indices of the zones intersecting `bbox`, in id order. */
  const zonesIn = (snap: PublicSnapshot, view: ZoneView, bbox: LonLatBox | null): number[] => {
    if (!bbox) return view.byId;
    if (!snap.index) return [];
    const [minLon, minLat, maxLon, maxLat] = bbox;
    const box = bboxPolygon(bbox);
    // The index answers with bounding-box overlaps; a zone whose box lies inside the query box
    // certainly intersects it, the others get the exact test.
    const hits = snap.index.search(minLon, minLat, maxLon, maxLat, (i, x0, y0, x1, y1) => {
      const inside = x0 >= minLon && y0 >= minLat && x1 <= maxLon && y1 <= maxLat;
      return inside || booleanIntersects(box, snap.features[i]);
    });
    return hits.sort((a, b) => view.rank[a] - view.rank[b]);
  };

  const pagingLinks = (id: CollectionId, q: ItemsQuery, returned: number, matched: number) => {
    const url = (offset: number) => {
      const params = [
        ...(q.bbox ? [`bbox=${q.bbox.join(',')}`] : []),
        `limit=${q.limit}`,
        ...(offset > 0 ? [`offset=${offset}`] : []),
        ...(q.format ? [`f=${q.format}`] : []),
      ];
      return `${collectionUrl(id)}/items?${params.join('&')}`;
    };
    const links = [
      { href: url(q.offset), rel: 'self', type: GEOJSON, title: 'this page' },
      { href: collectionUrl(id), rel: 'collection', type: JSON_TYPE, title: COLLECTIONS[id].title },
    ];
    if (q.offset + returned < matched) links.push({ href: url(q.offset + q.limit), rel: 'next', type: GEOJSON, title: 'next page' });
    if (q.offset > 0) links.push({ href: url(Math.max(0, q.offset - q.limit)), rel: 'prev', type: GEOJSON, title: 'previous page' });
    return links;
  };

  /** The items document with features already serialized, so a page is joined, not re-encoded. */
  const itemsDocument = (features: string[], matched: number, links: object[]): Buffer =>
    Buffer.from(
      `{"type":"FeatureCollection","numberMatched":${matched},"numberReturned":${features.length},` +
        `"timeStamp":${JSON.stringify(new Date().toISOString())},"links":${JSON.stringify(links)},` +
        `"features":[${features.join(',')}]}`,
    );

  const zoneItems = async (q: ItemsQuery): Promise<ItemsPage> => {
    const snap = await deps.zones();
    const view = zoneView(snap);
    // The query alone is the key: links come from PUBLIC_URL, so no request header can add entries.
    const key = `${q.bbox?.join(',') ?? ''}\n${q.limit}\n${q.offset}\n${q.format ?? ''}`;
    let page = view.pages.get(key);
    if (page) {
      // Least recently used goes first: re-inserting moves the page to the end of the Map's order.
      view.pages.delete(key);
      view.pages.set(key, page);
    } else {
      const matches = zonesIn(snap, view, q.bbox);
      const features = matches.slice(q.offset, q.offset + q.limit).map((i) => view.serialized[i]);
      // timeStamp is when this page was built: the page is served from cache only while the
      // snapshot it was built from is still the current map, so its content is unchanged since.
      const json = itemsDocument(features, matches.length, pagingLinks('zones', q, features.length, matches.length));
      // Weak: the same snapshot and query give the same features, while timeStamp may differ.
      const etag = `W/"${crypto.createHash('sha1').update(snap.etag).update(key).digest('base64url')}"`;
      page = { json, etag, gzipped: null };
      view.pages.set(key, page);
      view.pageBytes += json.length;
      for (const [oldKey, old] of view.pages) {
        if (view.pages.size <= MAX_CACHED_PAGES && view.pageBytes <= MAX_CACHED_BYTES) break;
        if (old === page) break;
        view.pages.delete(oldKey);
        view.pageBytes -= old.json.length + (old.gzipped?.length ?? 0);
      }
    }
    const cached = page;
    return {
      json: cached.json,
      etag: cached.etag,
      cache: 'snapshot',
      gzip: () => {
        if (!cached.gzipped) {
          cached.gzipped = zlib.gzipSync(cached.json, { level: 6 });
          if (view.pages.get(key) === cached) view.pageBytes += cached.gzipped.length;
        }
        return cached.gzipped;
      },
    };
  };

  const pointProperties = (row: PointRow): Record<string, unknown> => {
    const { geometry: _geometry, ...properties } = row;
    return properties;
  };
  // ST_AsGeoJSON already returns JSON text; in a page it is spliced in rather than parsed and re-encoded.
  const pointFeature = (row: PointRow): string =>
    `{"type":"Feature","id":${JSON.stringify(row.id)},"geometry":${row.geometry},"properties":${JSON.stringify(pointProperties(row))}}`;

  const collectionDocument = (id: CollectionId) => ({
    id,
    title: COLLECTIONS[id].title,
    description: COLLECTIONS[id].description,
    itemType: 'feature',
    crs: [CRS84],
    extent: { spatial: { bbox: [deps.serviceArea], crs: CRS84 } },
    links: [
      { href: collectionUrl(id), rel: 'self', type: JSON_TYPE, title: 'this collection' },
      { href: `${collectionUrl(id)}/items`, rel: 'items', type: GEOJSON, title: COLLECTIONS[id].title },
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

    /** One collection; 404 `collection_not_found` for an unknown id. */
    collection(id: string) {
      return collectionDocument(knownCollection(id));
    },

    /** One page of a collection's features with numberMatched, numberReturned and paging links. */
    async items(id: string, q: ItemsQuery): Promise<ItemsPage> {
      const collection = knownCollection(id);
      if (collection === 'zones') return zoneItems(q);
      const { matched, rows } = await repo.page(POINT_TABLES[collection], q.bbox, q.limit, q.offset);
      const json = itemsDocument(rows.map(pointFeature), matched, pagingLinks(collection, q, rows.length, matched));
      return { json, etag: null, gzip: null, cache: 'table' };
    },

    /** One feature with links to itself and its collection; 404 `feature_not_found` when unknown. */
    async item(id: string, featureId: string) {
      const collection = knownCollection(id);
      let feature: PublicZoneFeature | Record<string, unknown> | undefined;
      if (collection === 'zones') {
        const snap = await deps.zones();
        const i = zoneView(snap).indexOfId.get(featureId);
        feature = i === undefined ? undefined : snap.features[i];
      } else {
        const row = await repo.get(POINT_TABLES[collection], featureId);
        feature = row && { type: 'Feature', id: row.id, geometry: JSON.parse(row.geometry), properties: pointProperties(row) };
      }
      if (!feature) {
        throw new AppError(OgcErrorCode.featureNotFound, 404, `No feature ${JSON.stringify(featureId)} in ${collection}.`);
      }
      const self = `${collectionUrl(collection)}/items/${encodeURIComponent(featureId)}`;
      return {
        ...feature,
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
      return {
        openapi: '3.0.3',
        info: { title: 'Liaocheng epidemic risk zones – OGC API Features', version: '1.0.0' },
        servers: [{ url: root }],
        paths: {
          '/': { get: { summary: 'Landing page', parameters: [f], responses: { 200: { description: 'Landing page', ...json } } } },
          '/conformance': { get: { summary: 'Conformance classes', parameters: [f], responses: { 200: { description: 'Conformance', ...json } } } },
          '/collections': { get: { summary: 'Feature collections', parameters: [f], responses: { 200: { description: 'Collections', ...json } } } },
          '/collections/{collectionId}': {
            get: { summary: 'One collection', parameters: [collectionId, f], responses: { 200: { description: 'Collection', ...json }, 404: error } },
          },
          '/collections/{collectionId}/items': {
            get: {
              summary: 'Features of a collection',
              parameters: [
                collectionId,
                { name: 'bbox', in: 'query', required: false, style: 'form', explode: false, schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } } },
                { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: maxLimit, default: DEFAULT_LIMIT } },
                { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 } },
                f,
              ],
              responses: { 200: { description: 'Features', ...geojson }, 400: error, 404: error },
            },
          },
          '/collections/{collectionId}/items/{featureId}': {
            get: { summary: 'One feature', parameters: [collectionId, featureId, f], responses: { 200: { description: 'Feature', ...geojson }, 404: error } },
          },
        },
      };
    },
  };
}

export type OgcService = ReturnType<typeof ogcService>;
