/**
 * The route table of the real Express application, read from its router stack (Express 5:
 * `app.router.stack`, with the feature routers as nested `router` layers). The security tests walk
 * it, so a route added later is checked without anyone remembering to add it to a list.
 */
import type { Express } from 'express';
import type { Role } from '../../server/src/accounts/accounts.repo';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteEntry {
  method: Method;
  /** The path pattern as registered, e.g. `/api/zones/:id`. */
  path: string;
  /** The roles `requireRole(...)` lets through (admin always passes); null when the route has no guard. */
  requiredRoles: Role[] | null;
  /** Whether the guard is the route's first handler, so nothing runs for a caller it refuses. */
  guardFirst: boolean;
}

interface Layer {
  name: string;
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean>; stack: { handle: { requiredRoles?: Role[] } }[] };
  handle: { stack?: Layer[] };
}

const METHODS: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Every method+path the application answers, with the guard each carries. */
export function routeTable(app: Express): RouteEntry[] {
  const out: RouteEntry[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        // Regular-expression routes (the client's history fallback) have no string path: they
        // serve the built client, never the API, and are not listed.
        if (typeof layer.route.path !== 'string') continue;
        const at = layer.route.stack.findIndex((s) => Array.isArray(s.handle.requiredRoles));
        const guard = at >= 0 ? layer.route.stack[at] : undefined;
        for (const method of METHODS) {
          if (!layer.route.methods[method.toLowerCase()]) continue;
          out.push({ method, path: prefix + layer.route.path, requiredRoles: guard ? [...guard.handle.requiredRoles!] : null, guardFirst: at === 0 });
        }
      } else if (layer.name === 'router' && Array.isArray(layer.handle.stack)) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  const root = (app as unknown as { router: { stack: Layer[] } }).router;
  walk(root.stack, '');
  return out;
}

/** A concrete URL for a path pattern: every `:param` replaced by `values[param]` or a fallback. */
export function fillPath(path: string, values: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(values[name] ?? '00000000-0000-4000-8000-000000000000'));
}

export const isWrite = (r: RouteEntry) => r.method !== 'GET';
