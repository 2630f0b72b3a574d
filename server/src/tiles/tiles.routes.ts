import { Router } from 'express';
import type { AppContext } from '../context';
import { parseTileCoordinates, tilesService } from './tiles.service';

/** MIME type of Mapbox Vector Tiles (IANA). */
const MVT_TYPE = 'application/vnd.mapbox-vector-tile';

/** GET /tiles/zones/{z}/{x}/{y}.mvt: the zones in force as vector tiles (layer `zones`). */
export function tilesRoutes(ctx: AppContext): Router {
  const r = Router();
  const svc = tilesService({ db: ctx.db, zones: () => ctx.services.public.zones() });
  r.get('/tiles/zones/:z/:x/:y.mvt', async (req, res) => {
    const coords = parseTileCoordinates(req.params.z, req.params.x, req.params.y);
    const tile = await svc.tile(coords, req.get('if-none-match'));
    // Like the GeoJSON map: revalidated on every use, so a publication shows at once.
    res.set('ETag', tile.etag);
    res.set('Cache-Control', 'public, max-age=0, must-revalidate');
    res.set('Vary', 'Accept-Encoding');
    if (tile.notModified) {
      res.status(304).end();
      return;
    }
    res.type(MVT_TYPE);
    // Gzipped once per cached tile; the compression middleware leaves an encoded body alone.
    if (tile.mvt.length > 0 && /\bgzip\b/.test(req.get('accept-encoding') ?? '')) {
      res.set('Content-Encoding', 'gzip').end(tile.gzip());
    } else {
      res.end(tile.mvt);
    }
  });
  return r;
}
