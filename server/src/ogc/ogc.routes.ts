import http from 'node:http';
import querystring from 'node:querystring';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError } from '../errors';
import type { FastHandler } from '../http';
import { endLarge } from '../large-answers';
import { parseBbox } from '../geo/geojson';
import { ALLOWED, bboxToLonLat, checkParams, parseCrs, parseDatetime, parseFilter, parseProperties, parseSortby } from './ogc.params';
import { DEFAULT_LIMIT, OgcErrorCode, QUERYABLES, RETURNABLES, SCHEMA_JSON, SORTABLES, type CollectionId, type ItemsPage, type ItemsQuery, type OgcService } from './ogc.service';

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

/** What an items page is answered with: the same for the Express route and the fast path. */
async function pageAnswer(headers: http.IncomingHttpHeaders, page: ItemsPage, crs: string): Promise<{ status: number; headers: Record<string, string>; body: Buffer | null }> {
  const base = { 'Content-Type': 'application/geo+json', 'Content-Crs': `<${crs}>` };
  if (page.cache === 'table') return { status: 200, headers: { ...base, 'Cache-Control': 'public, max-age=60' }, body: page.json };
  // Vary is appended to by the Express route, not set: the CORS policy may already vary the answer by Origin.
  const cached = { ...base, 'Cache-Control': 'public, max-age=0, must-revalidate', Vary: 'Accept-Encoding', ...(page.etag ? { ETag: page.etag } : {}) };
  if (page.etag && headers['if-none-match'] === page.etag) return { status: 304, headers: cached, body: null };
  // A cached page is gzipped once (on a worker thread), not on every request by the compression middleware.
  if (page.gzip && /\bgzip\b/.test(headers['accept-encoding'] ?? '')) return { status: 200, headers: { ...cached, 'Content-Encoding': 'gzip' }, body: await page.gzip() };
  return { status: 200, headers: cached, body: page.json };
}

async function sendPage(req: Request, res: Response, page: ItemsPage, crs: string): Promise<void> {
  // Computed before any header is set: a refusal (503 server_busy) leaves no page header behind.
  const answer = await pageAnswer(req.headers, page, crs);
  for (const [k, v] of Object.entries(answer.headers)) {
    if (k === 'Vary') res.vary(v);
    else res.set(k, v);
  }
  res.status(answer.status).end(answer.body ?? undefined);
}

/**
 * What the OGC routes and their fast path use: the OGC service (built once in context.ts, so both
 * share its page cache), the page limits, and whether CORS varies the answers by Origin.
 */
export interface OgcRouteDeps {
  ogc: OgcService;
  limits: { maxFeaturesPerPage: number; maxBboxAreaDeg2: number };
  corsOrigins: boolean;
}

/**
 * The zones' items pages answered before Express (see `withFastPaths`), with the same headers as
 * the route below and the application's security headers. A query the route would refuse goes to
 * the route, which answers it with its error code.
 */
export function ogcFastPaths(deps: OgcRouteDeps, securityHeaders: Record<string, string>): Record<string, FastHandler> {
  const svc = deps.ogc;
  const { maxFeaturesPerPage, maxBboxAreaDeg2 } = deps.limits;
  const vary = deps.corsOrigins ? 'Origin, Accept-Encoding' : 'Accept-Encoding';
  return {
    '/ogc/collections/zones/items': (req, res, url, fallBack) => {
      let q: ItemsQuery;
      try {
        // Parsed as Express's 'simple' query parser does (querystring): a repeated key is an array, refused alike.
        q = itemsQuery({ query: querystring.parse(url.search.slice(1)) } as unknown as Request, 'zones', maxFeaturesPerPage, maxBboxAreaDeg2);
      } catch {
        return false;
      }
      svc
        .items('zones', q)
        .then((page) => pageAnswer(req.headers, page, q.crs))
        .then((answer) => {
          const headers = { ...securityHeaders, ...answer.headers, ...(answer.headers.Vary ? { Vary: vary } : {}) };
          if (answer.body) endLarge(res, answer.status, headers, answer.body);
          else res.writeHead(answer.status, headers).end();
        }, fallBack);
      return true;
    },
  };
}

/** OGC API – Features (Part 1 Core, GeoJSON) at /ogc: the public map for desktop GIS. */
export function ogcRoutes(deps: OgcRouteDeps): Router {
  const r = Router();
  const { maxFeaturesPerPage, maxBboxAreaDeg2 } = deps.limits;
  const svc = deps.ogc;

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
