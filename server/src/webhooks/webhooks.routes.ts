import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context';
import { parseInput } from '../http';
import { requireRole } from '../auth/auth.middleware';
import { PUBLISHED } from '../publications/publications.service';
import { webhooksConfig } from './webhooks.config';
import { webhooksRepo } from './webhooks.repo';
import { webhooksService } from './webhooks.service';
import { ensureWebhookWorker, startWebhookWorker } from './webhooks.worker';

const Create = z.object({
  url: z.string().min(1).max(2000),
  secret: z.string().max(200).optional(),
  // The geometry is checked by the geometry parser (stable geometry_* codes), not by zod.
  area: z.object({
    polygon: z.unknown().optional(),
    point: z.unknown().optional(),
    radiusMeters: z.number().optional(),
    countyCode: z.string().min(1).max(20).optional(),
  }).strict(),
}).strict();

const Params = z.object({ id: z.uuid() });

/**
 * Webhook subscriptions to the record of publications (admins): POST/GET /api/admin/webhooks,
 * DELETE /api/admin/webhooks/:id, GET /api/admin/webhooks/:id/deliveries. Building the router
 * starts this process's delivery loop (once per database).
 */
export function webhooksRoutes(ctx: AppContext): Router {
  const config = webhooksConfig();
  const svc = webhooksService({ repo: webhooksRepo(ctx.db.knex), config, limits: ctx.limits, publicUrl: ctx.config.publicUrl });
  if (config.deliver) {
    ensureWebhookWorker(ctx.db, () => {
      const worker = startWebhookWorker(svc, { pollMs: config.pollMs });
      void ctx.db.listen(PUBLISHED, () => worker.kick());
      return worker;
    });
  }

  const r = Router();
  r.post('/api/admin/webhooks', requireRole('admin'), async (req, res) => {
    const input = parseInput(Create, req.body);
    res.status(201).json(await svc.create(input, req.user!.username));
  });
  r.get('/api/admin/webhooks', requireRole('admin'), async (_req, res) => {
    res.json({ subscriptions: await svc.list() });
  });
  r.get('/api/admin/webhooks/:id/deliveries', requireRole('admin'), async (req, res) => {
    const { id } = parseInput(Params, req.params);
    res.json({ deliveries: await svc.deliveries(id) });
  });
  r.delete('/api/admin/webhooks/:id', requireRole('admin'), async (req, res) => {
    const { id } = parseInput(Params, req.params);
    await svc.remove(id);
    res.status(204).end();
  });
  return r;
}
