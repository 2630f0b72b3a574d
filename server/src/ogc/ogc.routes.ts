import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { parseBbox } from '../geo/geojson';
import { ALLOWED, bboxToLonLat, checkParams, parseCrs, parseDatetime, parseFilter, parseProperties, parseSortby } from './ogc.params';
import { DEFAULT_LIMIT, OgcErrorCode, QUERYABLES, RETURNABLES, SCHEMA_JSON, SORTABLES, ogcService, type CollectionId, type ItemsPage, type ItemsQuery } from './ogc.service';

// A query parameter the OpenAPI document does not name is refused with 400 (OGC 17-069r4
// /req/core/query-param-unknown), and so is one given twice (the 'simple' query parser makes it an array).
const Format = z.literal('json').optional();
const Limit = z.string().regex(/^\d{1,9}$/).transform(Number).pipe(z.number().int().min(1)).optional();
const Offset = z.string().regex(/^\d{1,9}$/).transform(Number).optional();

function format(req: Request): 'json' | null {
  const r = Format.safeParse(req.query.f);
  if (!r.success) {
    throw new AppError(OgcErrorCode.formatUnsupported, 400, 'f: only f=json is offered (GeoJSON for features).', { supported: ['json'] });
  }
  return r.data ?? null;
}

function itemsQuery(req: Request, collection: CollectionId, maxLimit: number, maxBboxAreaDeg2: number): ItemsQuery {
  checkParams(req.query, ALLOWED.items);
  const q = req.query as Record<string, string | undefined>;
  const bboxCrs = parseCrs(q['bbox-crs'], 'bbox-crs');
  const limit = Limit.safeParse(req.query.limit);
  if (!limit.success) throw new AppError(OgcErrorCode.limitInvalid, 400, 'limit must be a whole number of at least 1.', { maximum: maxLimit });
  const offset = Offset.safeParse(req.query.offset);
  if (!offset.success) throw new AppError(OgcErrorCode.offsetInvalid, 400, 'offset must be a whole number of at least 0.');
  return {
    bbox: parseBbox(bboxToLonLat(q.bbox, bboxCrs), maxBboxAreaDeg2),
    bboxCrs,
    datetime: parseDatetime(q.datetime),
    properties: parseProperties(q.properties, RETURNABLES[collection]),
    sortby: parseSortby(q.sortby, SORTABLES(collection)),
    filter: parseFilter(q, QUERYABLES[collection]),
    filterParams: (['filter', 'filter-lang', 'filter-crs'] as const).filter((k) => q[k] !== undefined).map((k) => [k, q[k]!]),
    crs: parseCrs(q.crs, 'crs'),
    // A limit above the maximum is served at the maximum, not refused (/req/core/fc-limit-response-1).
    limit: Math.min(limit.data ?? DEFAULT_LIMIT, maxLimit),
    offset: offset.data ?? 0,
    format: format(req),
  };
}

async function sendPage(req: Request, res: Response, page: ItemsPage, crs: string): Promise<void> {
  const revalidated = page.etag !== null && req.get('if-none-match') === page.etag;
  // Compressed before any header is set: a refusal (503 server_busy) leaves no page header behind.
  const gzipped = !revalidated && page.gzip && /\bgzip\b/.test(req.get('accept-encoding') ?? '') ? await page.gzip() : null;
  res.type('application/geo+json');
  res.set('Content-Crs', `<${crs}>`);
  if (page.cache === 'table') {
    res.set('Cache-Control', 'public, max-age=60');
    res.end(page.json);
    return;
  }
  res.set('Cache-Control', 'public, max-age=0, must-revalidate');
  // Appended, not set: the CORS policy may already vary the answer by Origin.
  res.vary('Accept-Encoding');
  if (page.etag) {
    res.set('ETag', page.etag);
    if (req.get('if-none-match') === page.etag) {
      res.status(304).end();
      return;
    }
  }
  // A cached page is gzipped once, not on every request by the compression middleware.
  if (gzipped) {
    res.set('Content-Encoding', 'gzip').end(gzipped);
  } else {
    res.end(page.json);
  }
}

/** OGC API – Features (Part 1 Core, GeoJSON) at /ogc: the public map for desktop GIS. */
export function ogcRoutes(ctx: AppContext): Router {
  const r = Router();
  const { maxFeaturesPerPage, maxBboxAreaDeg2 } = ctx.config.limits;
  const svc = ogcService({
    reader: ctx.db.reader,
    zones: () => ctx.services.public.zones(),
    zonesOn: (day) => ctx.services.public.zones(day),
    serviceArea: ctx.config.serviceArea,
    publicUrl: ctx.config.publicUrl,
    workers: ctx.workers.heavy,
  });

  r.get('/ogc', (req, res) => {
    checkParams(req.query, ALLOWED.meta);
    format(req);
    res.set('Cache-Control', 'public, max-age=300').json(svc.landing());
  });
  r.get('/ogc/api', (req, res) => {
    checkParams(req.query, ALLOWED.meta);
    format(req);
    res.set('Cache-Control', 'public, max-age=300');
    res.type('application/vnd.oai.openapi+json;version=3.0').send(JSON.stringify(svc.openApi(maxFeaturesPerPage)));
  });
  r.get('/ogc/conformance', (req, res) => {
    checkParams(req.query, ALLOWED.meta);
    format(req);
    res.set('Cache-Control', 'public, max-age=300').json(svc.conformance());
  });
  r.get('/ogc/collections', (req, res) => {
    checkParams(req.query, ALLOWED.meta);
    format(req);
    res.set('Cache-Control', 'public, max-age=300').json(svc.collections());
  });
  r.get('/ogc/collections/:collectionId', (req, res) => {
    checkParams(req.query, ALLOWED.meta);
    format(req);
    res.set('Cache-Control', 'public, max-age=300').json(svc.collection(req.params.collectionId));
  });
  r.get('/ogc/collections/:collectionId/queryables', (req, res) => {
    checkParams(req.query, ALLOWED.meta);
    format(req);
    res.set('Cache-Control', 'public, max-age=300').type(SCHEMA_JSON).send(JSON.stringify(svc.queryables(req.params.collectionId)));
  });
  r.get('/ogc/collections/:collectionId/items', async (req, res) => {
    const collection = svc.knownCollection(req.params.collectionId);
    const q = itemsQuery(req, collection, maxFeaturesPerPage, maxBboxAreaDeg2);
    await sendPage(req, res, await svc.items(collection, q), q.crs);
  });
  r.get('/ogc/collections/:collectionId/items/:featureId', async (req, res) => {
    const collection = svc.knownCollection(req.params.collectionId);
    checkParams(req.query, ALLOWED.item);
    format(req);
    const q = req.query as Record<string, string | undefined>;
    const crs = parseCrs(q.crs, 'crs');
    const feature = await svc.item(collection, req.params.featureId, { crs, properties: parseProperties(q.properties, RETURNABLES[collection]) });
    res.set('Content-Crs', `<${crs}>`);
    res.set('Cache-Control', 'public, max-age=0, must-revalidate');
    res.type('application/geo+json').send(JSON.stringify(feature));
  });
  return r;
}
