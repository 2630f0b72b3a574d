/** Sessions and accounts (`/api/auth/…`, `/api/admin/accounts/…`). */
import { z } from 'zod';
import { ROLES } from '../vocabulary';

export const Role = z.enum(ROLES);

// ---------------------------------------------------------------------------------------------
// Requests

/** POST /api/auth/login */
export const LoginBody = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});

/** POST /api/admin/accounts/:username/logout-all */
export const AccountParams = z.object({ username: z.string().min(1).max(100) });

// ---------------------------------------------------------------------------------------------
// Responses

export const User = z.object({ id: z.number().int(), username: z.string(), role: Role });

/** POST /api/auth/login, GET /api/auth/me. The session itself is an httpOnly cookie. */
export const SessionAnswer = z.object({ user: User });

/** POST /api/auth/logout-all: every session of the caller ended, this one included. */
export const LogoutAllAnswer = z.object({ sessionsEnded: z.number().int() });

/** POST /api/admin/accounts/:username/logout-all */
export const SessionsEnded = z.object({ username: z.string(), sessionsEnded: z.number().int() });
