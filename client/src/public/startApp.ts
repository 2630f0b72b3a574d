/**
 * The app itself, loaded by main.ts once the framework's modules have been evaluated one by one:
 * evaluating this chunk defines the app's components and its i18n instance, nothing more.
 */
import { createApp, type App as VueApp } from 'vue';
import App from '../App.vue';
import { i18n, restoreLocale } from '../i18n';
import { createAppRouter } from '../router';

export { restoreLocale };

/** The app with its router and strings, not yet mounted. */
export function createRiskMapApp(): VueApp {
  return createApp(App).use(createAppRouter()).use(i18n);
}
