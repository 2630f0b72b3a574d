/** GET /api/config, fetched once per page load and shared by every component. */
import { shallowRef, type Ref } from 'vue';
import { getConfig } from '../api/publicApi';
import type { ServiceConfig } from '../api/types';

const config = shallowRef<ServiceConfig | null>(null);
let pending: Promise<ServiceConfig | null> | null = null;

/** Loads the service configuration (once); resolves null when the server cannot say. */
export function loadServiceConfig(): Promise<ServiceConfig | null> {
  pending ??= getConfig()
    .then((value) => (config.value = value))
    .catch((error: unknown) => {
      console.warn('GET /api/config failed; using the offline defaults', error);
      pending = null;
      return null;
    });
  return pending;
}

/** The service configuration as a ref (null until loaded). */
export function useServiceConfig(): Ref<ServiceConfig | null> {
  void loadServiceConfig();
  return config;
}
