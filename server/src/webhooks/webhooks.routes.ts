import { Router } from 'express';
import type { AppContext } from '../context';

/** Webhook subscriptions to the record of publications (admins). */
export function webhooksRoutes(_ctx: AppContext): Router {
  return Router();
}
