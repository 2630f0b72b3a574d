import { Router } from 'express';
import type { AppContext } from '../context';
import { getEdition, EDITION_IDS } from '../expiry/editions';
import { healthRepo } from './health.repo';

/** GET /api/health and GET /api/config (public). */
export function healthRoutes(ctx: AppContext): Router {
  const r = Router();
  const repo = healthRepo(ctx.db.knex);
  r.get('/api/health', async (_req, res) => {
    // Asks the database every time (cheap): a health check that does not touch it would lie.
    const postgis = await repo.postgisVersion();
    res.set('Cache-Control', 'no-store');
    res.json({ status: 'ok', database: ctx.db.kind, postgis });
  });
  r.get('/api/config', (_req, res) => {
    const [minLon, minLat, maxLon, maxLat] = ctx.config.serviceArea;
    res.json({
      serviceArea: ctx.config.serviceArea,
      center: [115.98, 36.45].map((v, i) => (i === 0 ? clamp(v, minLon, maxLon) : clamp(v, minLat, maxLat))),
      defaultEdition: ctx.config.defaultEdition,
      editions: EDITION_IDS.map((id) => {
        const e = getEdition(id);
        return { id, nameZh: e.names.zh, nameEn: e.names.en, kinds: e.zoneKinds };
      }),
      basemap: { online: ctx.config.basemap },
      demo: ctx.db.kind === 'pglite' && ctx.config.loadDemoData,
    });
  });
  return r;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
