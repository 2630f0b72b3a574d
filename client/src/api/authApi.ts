/** Session endpoints. The session itself is an httpOnly cookie the client never reads. */
import { request } from './http';
import type { User } from './types';

/** POST /api/auth/login; rejects with ApiError `invalid_credentials` (401) on a wrong password. */
export async function login(username: string, password: string): Promise<User> {
  const { user } = await request<{ user: User }>('/api/auth/login', {
    method: 'POST',
    body: { username, password },
  });
  return user;
}

/** POST /api/auth/logout */
export function logout(): Promise<void> {
  return request('/api/auth/logout', { method: 'POST' });
}

/** GET /api/auth/me; rejects with a 401 ApiError when nobody is logged in. */
export async function getCurrentUser(signal?: AbortSignal): Promise<User> {
  const { user } = await request<{ user: User }>('/api/auth/me', { signal });
  return user;
}
