import { Router } from 'express';
import { parseInput } from '../http';
import { requireRole } from '../auth/auth.middleware';
import { WebhookBody, WebhookParams } from '../../../contract/schemas';
import type { WebhooksService } from './webhooks.service';

/**
 * Webhook subscriptions to the record of publications (admins): POST/GET /api/admin/webhooks,
 * DELETE /api/admin/webhooks/:id, GET /api/admin/webhooks/:id/deliveries. Building the router
 * starts this process's delivery loop (`startDelivery`, once per database), as serving the API is
 * what a service process is for; a context built for a script delivers nothing.
 */
export function webhooksRoutes(deps: { webhooks: WebhooksService; startDelivery: () => void }): Router {
  const svc = deps.webhooks;
  deps.startDelivery();

  const r = Router();
  r.post('/api/admin/webhooks', requireRole('admin'), async (req, res) => {
    const input = parseInput(WebhookBody, req.body);
    res.status(201).json(await svc.create(input, req.user!.username));
  });
  r.get('/api/admin/webhooks', requireRole('admin'), async (_req, res) => {
    res.json({ subscriptions: await svc.list() });
  });
  r.get('/api/admin/webhooks/:id/deliveries', requireRole('admin'), async (req, res) => {
    const { id } = parseInput(WebhookParams, req.params);
    res.json({ deliveries: await svc.deliveries(id) });
  });
  r.delete('/api/admin/webhooks/:id', requireRole('admin'), async (req, res) => {
    const { id } = parseInput(WebhookParams, req.params);
    await svc.remove(id);
    res.status(204).end();
  });
  return r;
}
