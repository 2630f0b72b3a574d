import './styles/main.css';
import { afterNextPaint } from './public/afterPaint';
import { showPublicFrame } from './public/firstScreen';
import { askForOpeningZones } from './public/openingZones';

showPublicFrame();
askForOpeningZones();

/**
 * The first screen in index.html is painted first (on the public page with its search row); then
 * the app starts in steps, each in the task after a paint, because on a slow phone any task over
 * 50 ms delays the first tap. The scripts are all fetched at once (index.html preloads them) but
 * evaluated one chunk per step: the framework
 * (Vue), its i18n and router, the UI strings, the app's own modules; then the stored language (the
 * page's first access to local storage, which can wait on the browser), the app with its router,
 * and its mount (App.vue and the page build the rest in further steps).
 */
const steps: (() => Promise<unknown> | unknown)[] = [
  () => import('vue'),
  () => import('vue-i18n'),
  () => import('vue-router'),
  () => import('./i18n/zh'),
];

async function start(): Promise<void> {
  for (const step of steps) {
    await step();
    await nextPaint();
  }
  const { createRiskMapApp, restoreLocale } = await import('./public/startApp');
  await nextPaint();
  await restoreLocale();
  await nextPaint();
  const app = createRiskMapApp();
  await nextPaint();
  app.mount('#app');
}

const nextPaint = () => new Promise<void>((resolve) => afterNextPaint(resolve));

afterNextPaint(() => void start());
