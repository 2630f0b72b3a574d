import type http from 'node:http';
import { Router } from 'express';
import { parseInput, type FastHandler } from '../http';
import { endLarge } from '../large-answers';
import { parseLonLat } from '../geo/geojson';
import { LookupQuery, PublicZonesQuery as ZonesQuery } from '../../../contract/schemas';
import type { PublicService } from './public.service';
import { todayInShanghai } from '../../../contract/dates';
import { AppError, ErrorCode } from '../errors';
import { townshipByCode } from '../search/townships';

/** The public risk map: zones in force (with ETag/304), and "am I in a zone?". */
export function publicRoutes(deps: { public: PublicService }): Router {
  const r = Router();
  const svc = deps.public;
  r.get('/api/public/zones', async (req, res) => {
    const q = parseInput(ZonesQuery, req.query);
    const today = todayInShanghai();
    if (q.asOf && q.asOf > today) throw new AppError(ErrorCode.validation, 400, 'asOf: the map of a future day is not known yet.');
    const past = Boolean(q.asOf && q.asOf < today);
    if (q.view === 'corrected') {
      // For today it is a rebuild from the facts, which must agree with the record: a check anyone can run.
      const corrected = await svc.asNowKnown(q.asOf ?? today);
      // Late reports can still change it: revalidated, never kept as final.
      res.set('ETag', corrected.etag).set('Cache-Control', 'public, max-age=60');
      if (req.get('if-none-match') === corrected.etag) {
        res.status(304).end();
        return;
      }
      res.type('application/geo+json').end(corrected.json);
      return;
    }
    if (past) {
      // Built on a worker thread once per day, shared by concurrent requests, then kept.
      const map = await svc.publishedMapOn(q.asOf!);
      res.set('ETag', map.etag).set('Cache-Control', PAST_DAY_CACHE).vary('Accept-Encoding');
      if (req.get('if-none-match') === map.etag) {
        res.status(304).end();
        return;
      }
      res.type('application/geo+json');
      if (/\bgzip\b/.test(req.get('accept-encoding') ?? '')) res.set('Content-Encoding', 'gzip').end(map.gzip);
      else res.end(map.json);
      return;
    }
    const snap = await svc.zones(q.asOf);
    res.set('ETag', snap.etag);
    // What was published on a past day is never rewritten, so its map can be kept for good.
    res.set('Cache-Control', past ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate');
    // Appended, not set: the CORS policy may already vary the answer by Origin.
    res.vary('Accept-Encoding');
    if (req.get('if-none-match') === snap.etag) {
      res.status(304).end();
      return;
    }
    res.type('application/geo+json');
    // The bytes are gzipped once per version of the map, not once per request.
    if (/\bgzip\b/.test(req.get('accept-encoding') ?? '')) {
      res.set('Content-Encoding', 'gzip').end(await snap.gzip());
    } else {
      res.end(snap.json());
    }
  });
  r.get('/api/public/lookup', async (req, res) => {
    const q = parseInput(LookupQuery, req.query);
    const township = q.township ? townshipByCode(q.township) : null;
    if (q.township && !township) throw new AppError(ErrorCode.notFound, 404, `Township ${q.township} is not on file.`);
    res.set('Cache-Control', 'no-store');
    // A township alone is answered for its county: the service has no township outlines.
    const countyCode = q.county ?? (q.lon === undefined && q.lat === undefined ? township?.countyCode : undefined);
    if (countyCode) {
      res.json(await svc.lookup({ countyCode, township }));
      return;
    }
    const { lon, lat } = parseLonLat(q.lon, q.lat);
    res.json(await svc.lookup({ lon, lat, crs: q.crs, township }));
  });
  return r;
}

/** What was published on a past day is never rewritten, so its map can be kept for good. */
const PAST_DAY_CACHE = 'public, max-age=31536000, immutable';

const acceptsGzip = (req: http.IncomingMessage) => /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');

/**
 * Today's map and "am I in a zone?" answered before Express (see `withFastPaths`), with the same
 * headers as the routes above and the application's security headers. Anything the routes would
 * refuse, or that asks for more than the plain case (a past day, a township), goes to the routes.
 */
export function publicFastPaths(deps: { public: PublicService; corsOrigins: boolean }, securityHeaders: Record<string, string>): Record<string, FastHandler> {
  const svc = deps.public;
  const cors = deps.corsOrigins;
  const LOOKUP_KEYS = new Set(['lon', 'lat', 'crs']);
  // One headers object for every lookup (writeHead reads it at once; only the length changes).
  const lookupHead: Record<string, string> = { ...securityHeaders, ...(cors ? { Vary: 'Origin' } : {}), 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': '0' };
  /**
   * A lookup's answer. Written as bytes: a string handed to the socket cost the main thread more
   * (a CPU profile under load: a tenth of its time in garbage collection, a third of that as bytes).
   */
  const sendLookup = (res: http.ServerResponse, text: string) => {
    const bytes = Buffer.from(text);
    lookupHead['Content-Length'] = String(bytes.length);
    res.writeHead(200, lookupHead).end(bytes);
  };
  /** A map's answer as the route gives it: 304 for its ETag, else its bytes (gzipped when accepted). */
  const sendMap = async (req: http.IncomingMessage, res: http.ServerResponse, map: { etag: string; cacheControl: string }, bytes: () => Buffer | Promise<Buffer>, gzip: boolean) => {
    const head = { ...securityHeaders, ETag: map.etag, 'Cache-Control': map.cacheControl, Vary: cors ? 'Origin, Accept-Encoding' : 'Accept-Encoding' };
    if (req.headers['if-none-match'] === map.etag) {
      res.writeHead(304, head).end();
      return;
    }
    endLarge(res, 200, { ...head, 'Content-Type': 'application/geo+json', ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) }, await bytes());
  };
  return {
    '/api/public/zones': (req, res, url, fallBack) => {
      // Today's map, or a past day's as published (`?asOf=` alone: its bytes are built once on a
      // worker thread, then kept). Anything else, a future day or a malformed one, goes to the route.
      const asOf = url.search ? url.searchParams.get('asOf') : null;
      if (url.search && (asOf === null || url.searchParams.size !== 1 || !ZonesQuery.safeParse({ asOf }).success || !(asOf < todayInShanghai()))) return false;
      const gzip = acceptsGzip(req);
      (async () => {
        if (asOf) {
          const map = await svc.publishedMapOn(asOf);
          await sendMap(req, res, { etag: map.etag, cacheControl: PAST_DAY_CACHE }, () => (gzip ? map.gzip : map.json), gzip);
        } else {
          const snap = await svc.zones();
          await sendMap(req, res, { etag: snap.etag, cacheControl: 'public, max-age=0, must-revalidate' }, () => (gzip ? snap.gzip() : snap.json()), gzip);
        }
      })().catch(fallBack);
      return true;
    },
    '/api/public/lookup': (_req, res, url, fallBack) => {
      const p = url.searchParams;
      const keys = [...p.keys()];
      if (keys.length !== new Set(keys).size || !keys.every((k) => LOOKUP_KEYS.has(k))) return false;
      const [lonText, latText, crs] = [p.get('lon'), p.get('lat'), p.get('crs') ?? 'wgs84'];
      if (lonText === null || latText === null || lonText.length > 40 || latText.length > 40 || (crs !== 'wgs84' && crs !== 'gcj02')) return false;
      let point: { lon: number; lat: number };
      try {
        point = parseLonLat(lonText, latText);
      } catch {
        return false;
      }
      const input = { lon: point.lon, lat: point.lat, crs } as const;
      // At once from memory; while the reference or today's map is still loading, when it has.
      const text = svc.lookupText(input);
      if (text !== null) sendLookup(res, text);
      else svc.lookup(input).then((answer) => sendLookup(res, JSON.stringify(answer)), fallBack);
      return true;
    },
  };
}
