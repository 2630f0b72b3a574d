// Building one items page: matching the query's box, evaluating its filter, sorting, slicing and
// serializing. Plain functions of plain data, so the zones' pages are built on a worker thread
// (workers/tasks.ts `ogcPage`) and the point collections' small pages on the main thread, with
// the same code.

import Flatbush from 'flatbush';
import type * as GeoJSON from 'geojson';
import { bbox as turfBbox, bboxPolygon, booleanIntersects } from '@turf/turf';
import type { LonLatBox } from '../geo/geojson';
import { evaluate } from './cql2';
import { CRS, isLatLon, type SortKey } from './ogc.params';
import type { ItemsQuery } from './ogc.service';

export const GEOJSON = 'application/geo+json';
export const JSON_TYPE = 'application/json';

/** A feature in a collection's own terms, before the query's properties and CRS are applied. */
export interface PlainFeature {
  id: string;
  properties: Record<string, unknown>;
  geometry: GeoJSON.Geometry;
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const swapAxes = (g: GeoJSON.Geometry): GeoJSON.Geometry => {
  const sw = (c: unknown): unknown =>
    typeof (c as number[])[0] === 'number' ? [(c as number[])[1], (c as number[])[0], ...(c as number[]).slice(2)] : (c as unknown[]).map(sw);
  if (g.type === 'GeometryCollection') return { ...g, geometries: g.geometries.map(swapAxes) };
  return { ...g, coordinates: sw(g.coordinates) } as GeoJSON.Geometry;
};

/** Sorts by the keys (nulls last, as PostgreSQL sorts ascending), then by id so pages are stable. */
export function sortFeatures<T>(items: T[], featureOf: (item: T) => PlainFeature, keys: SortKey[]): T[] {
  const cmp = (a: unknown, b: unknown): number => {
    if (a === b) return 0;
    if (a === null || a === undefined) return 1;
    if (b === null || b === undefined) return -1;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
    return compareIds(String(a), String(b));
  };
  return [...items].sort((xi, yi) => {
    const x = featureOf(xi);
    const y = featureOf(yi);
    for (const k of keys) {
      const a = x.properties[k.name];
      const b = y.properties[k.name];
      const nullish = a === null || a === undefined || b === null || b === undefined;
      const c = cmp(a, b);
      if (c !== 0) return k.descending && !nullish ? -c : c;
    }
    return compareIds(x.id, y.id);
  });
}

/** A feature with the query's properties and CRS, serialized. */
export function featureJson(f: PlainFeature, q: Pick<ItemsQuery, 'properties' | 'crs'>): string {
  const properties = q.properties ? Object.fromEntries(q.properties.filter((k) => k in f.properties).map((k) => [k, f.properties[k]])) : f.properties;
  return JSON.stringify({ ...f, geometry: isLatLon(q.crs) ? swapAxes(f.geometry) : f.geometry, properties });
}

/** Whether features are served as they are stored (all properties, lon/lat): then their JSON is reused. */
export const plainQuery = (q: ItemsQuery) => !q.properties && q.crs === CRS.crs84;

/** Where a collection is, for the links of its pages. */
export interface CollectionRef {
  url: string;
  title: string;
}

/** self, collection, next and prev links of a page; the self link is the query's canonical form. */
export function pagingLinks(collection: CollectionRef, q: ItemsQuery, returned: number, matched: number) {
  const url = (offset: number) => {
    const params = new URLSearchParams();
    if (q.bbox) {
      const b = isLatLon(q.bboxCrs) ? [q.bbox[1], q.bbox[0], q.bbox[3], q.bbox[2]] : q.bbox;
      params.set('bbox', b.join(','));
      if (q.bboxCrs !== CRS.crs84) params.set('bbox-crs', q.bboxCrs);
    }
    if (q.datetime) params.set('datetime', q.datetime.text);
    for (const [k, v] of q.filterParams) params.set(k, v);
    if (q.properties) params.set('properties', q.properties.join(','));
    if (q.sortby.length) params.set('sortby', q.sortby.map((k) => `${k.descending ? '-' : '+'}${k.name}`).join(','));
    if (q.crs !== CRS.crs84) params.set('crs', q.crs);
    params.set('limit', String(q.limit));
    if (offset > 0) params.set('offset', String(offset));
    if (q.format) params.set('f', q.format);
    return `${collection.url}/items?${params.toString()}`;
  };
  const links = [
    { href: url(q.offset), rel: 'self', type: GEOJSON, title: 'this page' },
    { href: collection.url, rel: 'collection', type: JSON_TYPE, title: collection.title },
  ];
  if (q.offset + returned < matched) links.push({ href: url(q.offset + q.limit), rel: 'next', type: GEOJSON, title: 'next page' });
  if (q.offset > 0) links.push({ href: url(Math.max(0, q.offset - q.limit)), rel: 'prev', type: GEOJSON, title: 'previous page' });
  return links;
}

/** The items document with features already serialized, so a page is joined, not re-encoded. */
export function itemsDocument(features: string[], matched: number, links: object[]): Buffer {
  return Buffer.from(
    `{"type":"FeatureCollection","numberMatched":${matched},"numberReturned":${features.length},` +
      `"timeStamp":${JSON.stringify(new Date().toISOString())},"links":${JSON.stringify(links)},` +
      `"features":[${features.join(',')}]}`,
  );
}

/** A map of zones as a page builder holds it: its features, their id order and a spatial index. */
export interface ZonesIndex {
  features: PlainFeature[];
  /** Feature indices in id order: pages are sorted by id so paging is stable. */
  byId: number[];
  /** rank[i] is the position of feature i in id order. */
  rank: Int32Array;
  /** Each feature's JSON, written when a page first needs it and then kept with the map. */
  serialized: (string | undefined)[];
  index: Flatbush | null;
}

/** Indexes a map's features (in the map's order) once, for all the pages built from it. */
export function zonesIndex(features: PlainFeature[]): ZonesIndex {
  const byId = features.map((_, i) => i).sort((a, b) => compareIds(features[a].id, features[b].id));
  const rank = new Int32Array(features.length);
  byId.forEach((i, pos) => (rank[i] = pos));
  let index: Flatbush | null = null;
  if (features.length) {
    index = new Flatbush(features.length);
    for (const f of features) {
      const [x0, y0, x1, y1] = turfBbox(f.geometry);
      index.add(x0, y0, x1, y1);
    }
    index.finish();
  }
  return { features, byId, rank, serialized: new Array(features.length), index };
}

/** Feature indices of the zones intersecting `bbox`, in id order. */
function zonesIn(z: ZonesIndex, bbox: LonLatBox | null): number[] {
  if (!bbox || !z.index) return bbox ? [] : z.byId;
  const [minLon, minLat, maxLon, maxLat] = bbox;
  const box = bboxPolygon(bbox);
  // The index answers with bounding-box overlaps; a zone whose box lies inside the query box
  // certainly intersects it, the others get the exact test.
  const hits = z.index.search(minLon, minLat, maxLon, maxLat, (i, x0, y0, x1, y1) => {
    const inside = x0 >= minLon && y0 >= minLat && x1 <= maxLon && y1 <= maxLat;
    return inside || booleanIntersects(box, z.features[i] as unknown as GeoJSON.Feature);
  });
  return hits.sort((a, b) => z.rank[a] - z.rank[b]);
}

/** One page of zones: its document's bytes and how many zones matched the query in all. */
export function buildZonesPage(z: ZonesIndex, q: ItemsQuery, collection: CollectionRef): { json: Buffer; matched: number } {
  let matches = zonesIn(z, q.bbox);
  if (q.filter) matches = matches.filter((i) => evaluate(q.filter!, z.features[i]) === true);
  if (q.sortby.length) matches = sortFeatures(matches, (i) => z.features[i], q.sortby);
  const page = matches.slice(q.offset, q.offset + q.limit);
  const features = plainQuery(q) ? page.map((i) => (z.serialized[i] ??= JSON.stringify(z.features[i]))) : page.map((i) => featureJson(z.features[i], q));
  // timeStamp is when this page was built: the page is served from cache only while the map it
  // was built from is still the one asked for, so its content is unchanged since.
  return { json: itemsDocument(features, matches.length, pagingLinks(collection, q, features.length, matches.length)), matched: matches.length };
}
