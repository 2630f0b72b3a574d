import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { parseBbox } from '../geo/geojson';
import { DEFAULT_LIMIT, OgcErrorCode, ogcService, type ItemsPage, type ItemsQuery } from './ogc.service';

// Unknown query parameters are ignored, as OGC 17-069r4 permits; only the ones this API reads are
// validated. With the 'simple' query parser a repeated parameter arrives as an array and is refused.
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

function itemsQuery(req: Request, maxLimit: number, maxBboxAreaDeg2: number): ItemsQuery {
  const limit = Limit.safeParse(req.query.limit);
  if (!limit.success) throw new AppError(OgcErrorCode.limitInvalid, 400, 'limit must be a whole number of at least 1.', { maximum: maxLimit });
  const offset = Offset.safeParse(req.query.offset);
  if (!offset.success) throw new AppError(OgcErrorCode.offsetInvalid, 400, 'offset must be a whole number of at least 0.');
  return {
    bbox: parseBbox(req.query.bbox, maxBboxAreaDeg2),
    // A limit above the maximum is served at the maximum, not refused (/req/core/fc-limit-response-1).
    limit: Math.min(limit.data ?? DEFAULT_LIMIT, maxLimit),
    offset: offset.data ?? 0,
    format: format(req),
  };
}

function sendPage(req: Request, res: Response, page: ItemsPage): void {
  res.type('application/geo+json');
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
  if (page.gzip && /\bgzip\b/.test(req.get('accept-encoding') ?? '')) {
    res.set('Content-Encoding', 'gzip').end(page.gzip());
  } else {
    res.end(page.json);
  }
}

/** OGC API – Features (Part 1 Core, GeoJSON) at /ogc: the public map for desktop GIS. */
export function ogcRoutes(ctx: AppContext): Router {
  const r = Router();
  const { maxFeaturesPerPage, maxBboxAreaDeg2 } = ctx.config.limits;
  const svc = ogcService({ reader: ctx.db.reader, zones: () => ctx.services.public.zones(), serviceArea: ctx.config.serviceArea, publicUrl: ctx.config.publicUrl });

  r.get('/ogc', (req, res) => {
    format(req);
    res.set('Cache-Control', 'public, max-age=300').json(svc.landing());
  });
  r.get('/ogc/api', (req, res) => {
    format(req);
    res.set('Cache-Control', 'public, max-age=300');
    res.type('application/vnd.oai.openapi+json;version=3.0').send(JSON.stringify(svc.openApi(maxFeaturesPerPage)));
  });
  r.get('/ogc/conformance', (req, res) => {
    format(req);
    res.set('Cache-Control', 'public, max-age=300').json(svc.conformance());
  });
  r.get('/ogc/collections', (req, res) => {
    format(req);
    res.set('Cache-Control', 'public, max-age=300').json(svc.collections());
  });
  r.get('/ogc/collections/:collectionId', (req, res) => {
    format(req);
    res.set('Cache-Control', 'public, max-age=300').json(svc.collection(req.params.collectionId));
  });
  r.get('/ogc/collections/:collectionId/items', async (req, res) => {
    svc.knownCollection(req.params.collectionId);
    const q = itemsQuery(req, maxFeaturesPerPage, maxBboxAreaDeg2);
    sendPage(req, res, await svc.items(req.params.collectionId, q));
  });
  r.get('/ogc/collections/:collectionId/items/:featureId', async (req, res) => {
    format(req);
    const feature = await svc.item(req.params.collectionId, req.params.featureId);
    res.set('Cache-Control', 'public, max-age=0, must-revalidate');
    res.type('application/geo+json').send(JSON.stringify(feature));
  });
  return r;
}
