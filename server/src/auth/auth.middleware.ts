import crypto from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { AccountsRepo, Role } from '../accounts/accounts.repo';
import { AppError, ErrorCode, forbidden, unauthenticated } from '../errors';
import { readBody } from '../http';

export const SESSION_COOKIE = 'sid';

export interface SessionUser {
  id: number;
  username: string;
  role: Role;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: SessionUser;
    sessionTokenHash?: string;
  }
}

/** SHA-256 of a session token: what the sessions table stores. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** Attaches `req.user` when the request carries a live session cookie. */
export function loadSession(repo: AccountsRepo): RequestHandler {
  return async (req, _res, next) => {
    const token = req.cookies?.[SESSION_COOKIE];
    if (typeof token !== 'string' || token.length < 20 || token.length > 100) return next();
    const tokenHash = hashToken(token);
    const row = await repo.findSession(tokenHash);
    if (row) {
      req.user = { id: Number(row.id), username: row.username, role: row.role };
      req.sessionTokenHash = tokenHash;
    }
    next();
  };
}

/**
 * Lets the request through only for a logged-in user with one of `roles` (admin always passes),
 * and only then reads its JSON body: a refused caller's body is never parsed.
 */
export function requireRole(...roles: Role[]): RequestHandler {
  const guard: RequestHandler = (req, res, next) => {
    if (!req.user) return next(unauthenticated('Log in first.'));
    if (req.user.role !== 'admin' && !roles.includes(req.user.role)) {
      return next(forbidden(`This needs the role ${roles.join(' or ')}.`));
    }
    readBody(req, res, next);
  };
  // Marked so that the route-table test can tell guarded routes from open ones.
  (guard as RequestHandler & { requiredRoles?: Role[] }).requiredRoles = roles;
  return guard;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses state-changing requests sent from another site. SameSite=Strict cookies already keep
 * the session away from them; this is the second lock (OWASP: verify Origin).
 */
export function sameOriginWrites(allowedOrigins: string[]): RequestHandler {
  return (req, _res, next) => {
    if (!UNSAFE.has(req.method)) return next();
    const origin = req.get('origin');
    const fetchSite = req.get('sec-fetch-site');
    if (origin) {
      if (origin === ownOrigin(req) || allowedOrigins.includes(origin)) return next();
      return next(new AppError(ErrorCode.badOrigin, 403, 'Cross-site requests may not change data.'));
    }
    if (fetchSite === 'cross-site') return next(new AppError(ErrorCode.badOrigin, 403, 'Cross-site requests may not change data.'));
    next();
  };
}

function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host')}`;
}
