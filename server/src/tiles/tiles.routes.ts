import { Router } from 'express';
import type { FastHandler } from '../http';
import { endLarge } from '../large-answers';
import type { PublicSnapshot } from '../public/public.service';
import { parseTileCoordinates, zonesTileJson, type TileCoordinates, type TilesService } from './tiles.service';

/** MIME type of Mapbox Vector Tiles (IANA). */
const MVT_TYPE = 'application/vnd.mapbox-vector-tile';

/** A tile addressed by the publication it shows never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Anything else is revalidated on every use, like the GeoJSON map, so a publication shows at once. */
const REVALIDATE = 'public, max-age=0, must-revalidate';

/**
 * GET /tiles/zones.json: the TileJSON 3.0.0 of the zones tiles, its tile URL naming the current
 * publication. GET /tiles/zones/{z}/{x}/{y}.mvt[?v=N]: the zones in force as vector tiles (layer
 * `zones`); cached for good when `v` is the publication the tile shows.
 */
export function tilesRoutes(deps: {
  tiles: TilesService;
  /** Today's public map: the TileJSON names its last publication. */
  zonesInForce: () => Promise<PublicSnapshot>;
  publicUrl: string;
  serviceArea: [number, number, number, number];
}): Router {
  const r = Router();
  const svc = deps.tiles;
  r.get('/tiles/zones.json', async (req, res) => {
    const { publication } = await deps.zonesInForce();
    const etag = `"tilejson-${publication}"`;
    res.set('ETag', etag);
    res.set('Cache-Control', REVALIDATE);
    if (req.get('if-none-match') === etag) {
      res.status(304).end();
      return;
    }
    // Links from PUBLIC_URL only: Host and X-Forwarded-* are the client's to set.
    res.json(zonesTileJson(publication, { publicUrl: deps.publicUrl, serviceArea: deps.serviceArea }));
  });
  r.get('/tiles/zones/:z/:x/:y.mvt', async (req, res) => {
    const coords = parseTileCoordinates(req.params.z, req.params.x, req.params.y);
    const tile = await svc.tile(coords, req.get('if-none-match'));
    res.set('ETag', tile.etag);
    // A `v` from another process that is ahead of this one, or an old one, gets the short cache:
    // only bytes that really are publication v's may be kept for a year.
    res.set('Cache-Control', req.query.v === String(tile.publication) ? IMMUTABLE : REVALIDATE);
    // Appended, not set: the CORS policy may already vary the answer by Origin.
    res.vary('Accept-Encoding');
    if (tile.notModified) {
      res.status(304).end();
      return;
    }
    res.type(MVT_TYPE);
    // Gzipped once per cached tile, on a worker thread; the compression middleware leaves an encoded body alone.
    if (tile.mvt.length > 0 && /\bgzip\b/.test(req.get('accept-encoding') ?? '')) {
      res.set('Content-Encoding', 'gzip').end(tile.gzip);
    } else {
      res.end(tile.mvt);
    }
  });
  return r;
}

/** `/tiles/zones/{z}/{x}/{y}.mvt`, as the Express route above matches it. */
const TILE_PATH = /^\/tiles\/zones\/([^/]+)\/([^/]+)\/([^/]+)\.mvt$/;

/**
 * Zones tiles answered before Express (see `withFastPaths`), with the same headers as the route
 * above and the application's security headers: a map being panned asks for dozens at once, and
 * through the middleware chain a cached tile cost several times its own work. Anything the route
 * would refuse (coordinates out of range, other parameters than `v`) goes to the route.
 */
export function tilesFastPaths(deps: { tiles: TilesService; corsOrigins: boolean }, securityHeaders: Record<string, string>): Record<string, FastHandler> {
  const vary = deps.corsOrigins ? 'Origin, Accept-Encoding' : 'Accept-Encoding';
  return {
    '/tiles/zones/': (req, res, url, fallBack) => {
      const m = TILE_PATH.exec(url.pathname);
      const keys = [...url.searchParams.keys()];
      if (!m || keys.some((k) => k !== 'v') || keys.length > 1) return false;
      let coords: TileCoordinates;
      try {
        coords = parseTileCoordinates(m[1]!, m[2]!, m[3]!);
      } catch {
        return false;
      }
      const ifNoneMatch = req.headers['if-none-match'];
      deps.tiles.tile(coords, ifNoneMatch).then((tile) => {
        const head = {
          ...securityHeaders,
          ETag: tile.etag,
          'Cache-Control': url.searchParams.get('v') === String(tile.publication) ? IMMUTABLE : REVALIDATE,
          Vary: vary,
        };
        if (tile.notModified) {
          res.writeHead(304, head).end();
          return;
        }
        const gzip = tile.mvt.length > 0 && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
        const body = gzip ? tile.gzip : tile.mvt;
        endLarge(res, 200, { ...head, 'Content-Type': MVT_TYPE, ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) }, body);
      }, fallBack);
      return true;
    },
  };
}
