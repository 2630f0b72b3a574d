import { Router, type CookieOptions } from 'express';
import { rateLimit } from 'express-rate-limit';
import { parseInput, readBody } from '../http';
import { AppError, ErrorCode, unauthenticated } from '../errors';
import { ROLES } from '../../../contract/vocabulary';
import { LoginBody } from '../../../contract/schemas';
import { SESSION_COOKIE, requireRole } from './auth.middleware';
import type { AuthService } from './auth.service';

/** The settings of login and the session cookie (from config.ts). */
export interface AuthSettings {
  /** Failed logins per client address in 15 minutes (LOGIN_RATE_LIMIT_PER_15MIN). */
  loginPer15Min: number;
  /** Failed logins per account in 15 minutes, from any address (LOGIN_FAILURES_PER_ACCOUNT_15MIN). */
  loginFailuresPerAccount15Min: number;
  /** Session cookies only over HTTPS (production, or an https PUBLIC_URL). */
  secureCookies: boolean;
  sessionTtlHours: number;
}

const WINDOW_MS = 15 * 60 * 1000;

/** The bucket of the per-account limiter: the name as the accounts table compares it (case-insensitive). */
function accountKey(body: unknown): string | null {
  const username = (body as { username?: unknown } | undefined)?.username;
  return typeof username === 'string' && username.length > 0 && username.length <= 100 ? `account:${username.toLowerCase()}` : null;
}

/**
 * POST /api/auth/login, POST /api/auth/logout, POST /api/auth/logout-all (every session of the
 * caller), GET /api/auth/me.
 */
export function authRoutes(deps: { auth: AuthService; settings: AuthSettings }): Router {
  const { auth, settings } = deps;
  const r = Router();
  const tooMany = (message: string) => new AppError(ErrorCode.rateLimited, 429, message);
  // Per client address, checked before the body is read. Only failures count: an office behind
  // one address where everyone logs in each morning is not locked out by its own colleagues.
  const addressLimiter = rateLimit({
    windowMs: WINDOW_MS,
    limit: settings.loginPer15Min,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(tooMany('Too many login attempts; wait a few minutes.')),
  });
  // Per account, whatever address the guesses come from (a botnet has many). Unknown names get a
  // bucket too, so the answer does not tell whether an account exists. Only failures count, and
  // each account's failures are its own: one account's login changes no other account's count.
  const accountLimiter = rateLimit({
    windowMs: WINDOW_MS,
    limit: settings.loginFailuresPerAccount15Min,
    skipSuccessfulRequests: true,
    skip: (req) => accountKey(req.body) === null,
    keyGenerator: (req) => accountKey(req.body)!,
    requestPropertyName: 'accountRateLimit',
    // The address limiter's headers stay: they describe what this client may still try.
    standardHeaders: false,
    legacyHeaders: false,
    handler: (_req, _res, next) => next(tooMany('Too many failed logins for this account; wait a few minutes.')),
  });
  const cookieOptions = (): CookieOptions => ({
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    // Set in production and when PUBLIC_URL is https, not only when this request came over
    // HTTPS: behind a proxy that does not say so, the cookie would otherwise travel in clear.
    secure: settings.secureCookies,
  });

  r.post('/api/auth/login', addressLimiter, readBody, accountLimiter, async (req, res) => {
    const body = parseInput(LoginBody, req.body);
    const { token, user } = await auth.login(body.username, body.password);
    res.cookie(SESSION_COOKIE, token, {
      ...cookieOptions(),
      secure: settings.secureCookies || req.secure,
      maxAge: settings.sessionTtlHours * 3600 * 1000,
    });
    res.json({ user });
  });

  r.post('/api/auth/logout', async (req, res) => {
    if (req.sessionTokenHash) await auth.logout(req.sessionTokenHash);
    res.clearCookie(SESSION_COOKIE, cookieOptions());
    res.status(204).end();
  });

  // Any account may end all of its own sessions (a lost phone, a shared computer).
  r.post('/api/auth/logout-all', requireRole(...ROLES), async (req, res) => {
    const sessionsEnded = await auth.logoutEverywhere(req.user!);
    res.clearCookie(SESSION_COOKIE, cookieOptions());
    res.json({ sessionsEnded });
  });

  r.get('/api/auth/me', (req, res) => {
    if (!req.user) throw unauthenticated('Not logged in.');
    res.json({ user: req.user });
  });
  return r;
}
