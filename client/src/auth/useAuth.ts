/**
 * The logged-in user, shared by the whole app. The session is an httpOnly cookie, so the only way
 * to know who is logged in is to ask GET /api/auth/me; the answer is cached until login/logout.
 */
import { computed, reactive, readonly } from 'vue';
import * as authApi from '../api/authApi';
import { isApiError } from '../api/http';
import type { Role, User } from '../api/types';

interface AuthState {
  user: User | null;
  /** True once /api/auth/me has answered (either way). */
  checked: boolean;
}

const state = reactive<AuthState>({ user: null, checked: false });
let pendingCheck: Promise<User | null> | null = null;

/**
 * A hint that this browser logged in before. The session cookie is httpOnly, so the page cannot
 * see it; without the hint, GET /api/auth/me would answer 401 to every anonymous visitor and the
 * browser would print that failed request as a console error on the public map.
 */
const sessionHintKey = 'risk-map.session';

function hasSessionHint(): boolean {
  try {
    return window.localStorage.getItem(sessionHintKey) === '1';
  } catch {
    return true;
  }
}

function setSessionHint(present: boolean): void {
  try {
    if (present) window.localStorage.setItem(sessionHintKey, '1');
    else window.localStorage.removeItem(sessionHintKey);
  } catch {
    // Storage blocked: every check then asks the server.
  }
}

/** Asks the server who is logged in, once; later calls reuse the answer. */
export function ensureSessionChecked(): Promise<User | null> {
  if (state.checked) return Promise.resolve(state.user);
  if (!hasSessionHint()) {
    state.checked = true;
    return Promise.resolve(null);
  }
  pendingCheck ??= authApi
    .getCurrentUser()
    .then((user) => user)
    .catch((error: unknown) => {
      // 401 simply means nobody is logged in; anything else is reported but treated the same.
      if (!isApiError(error) || error.status !== 401) console.warn('Session check failed', error);
      return null;
    })
    .then((user) => {
      state.user = user;
      state.checked = true;
      pendingCheck = null;
      setSessionHint(user !== null);
      return user;
    });
  return pendingCheck;
}

/** True when `user` has one of `roles` (admin passes every role check). */
export function userHasRole(user: User | null, roles: readonly Role[]): boolean {
  if (!user) return false;
  return user.role === 'admin' || roles.includes(user.role);
}

/** The auth store: who is logged in, and login/logout actions. */
export function useAuth() {
  return {
    state: readonly(state),
    user: computed(() => state.user),
    isLoggedIn: computed(() => state.user !== null),
    hasRole: (...roles: Role[]) => userHasRole(state.user, roles),
    async login(username: string, password: string): Promise<User> {
      const user = await authApi.login(username, password);
      state.user = user;
      state.checked = true;
      setSessionHint(true);
      return user;
    },
    async logout(): Promise<void> {
      try {
        await authApi.logout();
      } finally {
        state.user = null;
        state.checked = true;
        setSessionHint(false);
      }
    },
    /** Forget the cached user after a 401 mid-session (cookie expired). */
    forget(): void {
      state.user = null;
      setSessionHint(false);
    },
  };
}
