/*
 * The public risk map's service worker, written by hand (vite-plugin-pwa would bring Workbox for
 * what is a page of code; see docs/architecture.md). What it keeps:
 *   - the app's files (`/assets/…`, content-hashed: cache first, they never change);
 *   - the page itself and the public data (today's map, the bulletins, counties, roads, hospitals,
 *     checkpoints, settings): network first, the last good answer kept for when there is no
 *     network, served with `X-Fetched-At` so the page can say how old it is.
 * Lookups and searches are never kept here: the page keeps its last answer itself.
 */
const CACHE = 'risk-map-v1';
const FETCHED_AT = 'X-Fetched-At';

/** Public GETs kept for offline use (exact paths; the map of a past day is immutable and kept too). */
const DATA = [/^\/api\/public\/zones$/, /^\/api\/public\/(bulletins|publications)(\/\d+)?$/, /^\/api\/(regions(\/outlines)?|roads|facilities|checkpoints|config)$/, /^\/tiles\/zones\.json$/];

/** The app's files: content-hashed assets, the manifest and its icons. */
const STATIC = /^\/(assets\/|icons\/|manifest\.webmanifest$)/;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

function isData(url) {
  return DATA.some((pattern) => pattern.test(url.pathname));
}

function isPage(request, url) {
  return request.mode === 'navigate' || (url.pathname === '/' && request.destination === 'document');
}

/** A copy of `response` stamped with the time it was fetched. */
async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set(FETCHED_AT, new Date().toISOString());
  const body = await response.clone().arrayBuffer();
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/** Every page of the app is the same document: it is kept once, as "/". */
function cacheKey(request, url) {
  return isPage(request, url) ? '/' : request;
}

async function networkFirst(request, url) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(cacheKey(request, url), await stamped(response));
    return response;
  } catch (error) {
    const kept = await cache.match(cacheKey(request, url));
    if (kept) return kept;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (STATIC.test(url.pathname)) event.respondWith(cacheFirst(request));
  else if (isPage(request, url) || isData(url) || (url.pathname === '/api/public/zones' && url.searchParams.has('asOf'))) {
    event.respondWith(networkFirst(request, url));
  }
});

/** The page hands over what it fetched before this worker controlled it: keep the same things. */
self.addEventListener('message', (event) => {
  if (!event.data || event.data.type !== 'keep' || !Array.isArray(event.data.urls)) return;
  const port = event.ports && event.ports[0];
  const work = (async () => {
    const cache = await caches.open(CACHE);
    await Promise.all(
      event.data.urls.map(async (path) => {
        const url = new URL(path, self.location.origin);
        if (url.origin !== self.location.origin) return;
        const page = url.pathname === '/';
        const asset = STATIC.test(url.pathname);
        if (!page && !asset && !isData(url)) return;
        if (url.pathname === '/api/public/zones' && url.search) return;
        try {
          // From the HTTP cache when it can (the page fetched it moments ago).
          const response = await fetch(url, { cache: 'force-cache' });
          if (!response.ok) return;
          await cache.put(page ? '/' : url.pathname + url.search, asset ? response : await stamped(response));
        } catch {
          // One file missing offline is not worth failing the rest.
        }
      }),
    );
  })();
  event.waitUntil(work);
  work.then(() => port && port.postMessage({ type: 'kept' }));
});
