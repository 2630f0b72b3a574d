import { Router, type CookieOptions } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { parseInput, readBody } from '../http';
import { AppError, ErrorCode, unauthenticated } from '../errors';
import { ROLES } from '../accounts/accounts.repo';
import { SESSION_COOKIE, requireRole } from './auth.middleware';
import type { AppContext } from '../context';

const LoginBody = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});

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
export function authRoutes(ctx: AppContext): Router {
  const r = Router();
  const tooMany = (message: string) => new AppError(ErrorCode.rateLimited, 429, message);
  // Per client address, checked before the body is read. Only failures count: an office behind
  // one address where everyone logs in each morning is not locked out by its own colleagues.
  const addressLimiter = rateLimit({
    windowMs: WINDOW_MS,
    limit: ctx.config.limits.loginPer15Min,
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
    limit: ctx.config.limits.loginFailuresPerAccount15Min,
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
    secure: ctx.config.secureCookies,
  });

  r.post('/api/auth/login', addressLimiter, readBody, accountLimiter, async (req, res) => {
    const body = parseInput(LoginBody, req.body);
    const { token, user } = await ctx.services.auth.login(body.username, body.password);
    res.cookie(SESSION_COOKIE, token, {
      ...cookieOptions(),
      secure: ctx.config.secureCookies || req.secure,
      maxAge: ctx.config.sessionTtlHours * 3600 * 1000,
    });
    res.json({ user });
  });

  r.post('/api/auth/logout', async (req, res) => {
    if (req.sessionTokenHash) await ctx.services.auth.logout(req.sessionTokenHash);
    res.clearCookie(SESSION_COOKIE, cookieOptions());
    res.status(204).end();
  });

  // Any account may end all of its own sessions (a lost phone, a shared computer).
  r.post('/api/auth/logout-all', requireRole(...ROLES), async (req, res) => {
    const sessionsEnded = await ctx.services.auth.logoutEverywhere(req.user!);
    res.clearCookie(SESSION_COOKIE, cookieOptions());
    res.json({ sessionsEnded });
  });

  r.get('/api/auth/me', (req, res) => {
    if (!req.user) throw unauthenticated('Not logged in.');
    res.json({ user: req.user });
  });
  return r;
}
