/** Routes: the public risk map, the two workspaces (role-guarded) and the login page. */
import { createRouter, createWebHistory, type RouteLocationNormalized, type Router } from 'vue-router';
import type { Role } from '../api/types';
import { ensureSessionChecked, userHasRole } from '../auth/useAuth';
import PublicRiskMapPage from '../pages/PublicRiskMapPage.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** Roles allowed on the route besides admin; absent means public. */
    roles?: Role[];
    /** i18n key of the page title. */
    titleKey?: string;
  }
}

/**
 * The app's router. Made when the app starts rather than when this module loads: its history
 * rewrites the page's history entry at once, one more cost in the module's evaluation on a phone.
 */
export function createAppRouter(): Router {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/', name: 'public', component: PublicRiskMapPage, meta: { titleKey: 'nav.publicMap' } },
      {
        path: '/designer',
        name: 'designer',
        // The workspaces bring terra-draw and turf along; the public page does not need them.
        component: () => import('../pages/DesignerWorkspacePage.vue'),
        meta: { roles: ['designator'], titleKey: 'nav.designer' },
      },
      {
        path: '/coordinator',
        name: 'coordinator',
        component: () => import('../pages/CoordinatorWorkspacePage.vue'),
        meta: { roles: ['coordinator'], titleKey: 'nav.coordinator' },
      },
      {
        path: '/login',
        name: 'login',
        component: () => import('../pages/LoginPage.vue'),
        meta: { titleKey: 'nav.login' },
      },
      { path: '/:pathMatch(.*)*', redirect: '/' },
    ],
  });
  router.beforeEach(guardRoute);
  return router;
}

/** Where a logged-out or wrong-role visitor is sent instead of `to`. */
export async function guardRoute(to: RouteLocationNormalized) {
  const roles = to.meta.roles;
  if (!roles) return true;
  const user = await ensureSessionChecked();
  if (userHasRole(user, roles)) return true;
  return {
    name: 'login',
    query: { redirect: to.fullPath, ...(user ? { denied: '1' } : {}) },
  };
}
