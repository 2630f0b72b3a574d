import { Router } from 'express';
import type { AppContext } from '../context';

/** Alerts and feeds built from the public record (CAP 1.2, Atom). */
export function alertsRoutes(_ctx: AppContext): Router {
  return Router();
}
