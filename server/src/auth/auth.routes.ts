import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { parseInput, readBody } from '../http';
import { AppError, ErrorCode, unauthenticated } from '../errors';
import { SESSION_COOKIE } from './auth.middleware';
import type { AppContext } from '../context';

const LoginBody = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});

/** POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me. */
export function authRoutes(ctx: AppContext): Router {
  const r = Router();
  const loginLimiter = rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: ctx.config.limits.loginPer15Min,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new AppError(ErrorCode.rateLimited, 429, 'Too many login attempts; wait a few minutes.')),
  });

  r.post('/api/auth/login', loginLimiter, readBody, async (req, res) => {
    const body = parseInput(LoginBody, req.body);
    const { token, user } = await ctx.services.auth.login(body.username, body.password);
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/',
      maxAge: ctx.config.sessionTtlHours * 3600 * 1000,
    });
    res.json({ user });
  });

  r.post('/api/auth/logout', async (req, res) => {
    if (req.sessionTokenHash) await ctx.services.auth.logout(req.sessionTokenHash);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  r.get('/api/auth/me', (req, res) => {
    if (!req.user) throw unauthenticated('Not logged in.');
    res.json({ user: req.user });
  });
  return r;
}
