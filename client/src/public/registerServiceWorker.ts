/**
 * Installs the public page's service worker (client/public/sw.js) in production builds. A worker
 * controls a page only from its next load, so once it is active the page hands it the URLs it has
 * already fetched (the app's files, the map data, the bulletins): they are in the HTTP cache, and
 * the worker copies them into its own, so the first visit is enough to work offline afterwards.
 * `<html data-offline-ready>` is set once the worker has them (the browser tests wait for it).
 */
const WORKER_URL = '/sw.js';

/** Same-origin resources worth keeping: the page's files and the public GETs the worker caches. */
function fetchedUrls(): string[] {
  const urls = new Set<string>(['/', location.pathname + location.search]);
  for (const entry of performance.getEntriesByType('resource')) {
    const url = new URL(entry.name);
    if (url.origin === location.origin) urls.add(url.pathname + url.search);
  }
  return [...urls];
}

/**
 * Registers the worker (once per page load; nothing in development or where unsupported), once the
 * page has loaded and the browser is idle: registering costs the main thread a while, and the
 * first load has better things to do with it.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const whenIdle = () => ('requestIdleCallback' in window ? window.requestIdleCallback(register, { timeout: 5000 }) : setTimeout(register, 1000));
  if (document.readyState === 'complete') whenIdle();
  else window.addEventListener('load', whenIdle, { once: true });
}

function register(): void {
  navigator.serviceWorker
    .register(WORKER_URL)
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      const worker = registration.active;
      if (!worker) return;
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        document.documentElement.dataset.offlineReady = 'true';
      };
      // Late requests (the map's data arrive after the page) are sent too: wait for the map to settle.
      setTimeout(() => worker.postMessage({ type: 'keep', urls: fetchedUrls() }, [channel.port2]), 1500);
    })
    .catch((error: unknown) => console.warn('The offline copy of the map is not available:', error));
}
