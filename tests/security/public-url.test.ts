/**
 * Absolute links come from PUBLIC_URL only (host header injection, web cache poisoning): a client's
 * Host, X-Forwarded-Host and X-Forwarded-Proto never reach a link, and never split a cache, so a
 * page served `Cache-Control: public` is the same for everyone and a flood of invented hosts adds
 * no cache entries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { loginAs, startTestServer, type TestServer } from '../helpers/server';
import { rawRequest } from './raw-http';

const PUBLIC_URL = 'https://risk.liaocheng.example';
const EVIL = 'evil.example';

/** Every link-like value in a document: `href` members, and the OpenAPI document's server `url`s. */
function linksIn(doc: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'href' || k === 'url') && typeof x === 'string') out.push(x);
        else walk(x);
      }
    }
  };
  walk(doc);
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(backends())('links from PUBLIC_URL on %s', (backend) => {
  let server: TestServer;
  let zoneId: string;
  beforeAll(async () => {
    server = await startTestServer(backend, { PUBLIC_URL: `${PUBLIC_URL}/` });
    const designer = await loginAs(server.url, 'designer1');
    const d = 0.004;
    const geometry = { type: 'Polygon', coordinates: [[[115.9, 36.4], [115.9 + d, 36.4], [115.9 + d, 36.4 + d], [115.9, 36.4 + d], [115.9, 36.4]]] };
    const z = await designer.post('/api/zones', { type: 'Feature', geometry, properties: { kind: 'precaution', name: '链接测试' } });
    expect(z.status, z.text).toBe(201);
    zoneId = z.body.id;
    expect((await designer.post('/api/bulletins', { zoneIds: [zoneId], title: '关于划定风险区域的通告' })).status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
  });

  const forged = {
    host: EVIL,
    'x-forwarded-host': EVIL,
    'x-forwarded-proto': 'http',
    'x-forwarded-port': '8443',
    forwarded: `host=${EVIL};proto=http`,
  };

  it('builds every OGC link on PUBLIC_URL, whatever Host and X-Forwarded-* say', async () => {
    const paths = [
      '/ogc',
      '/ogc/api',
      '/ogc/collections',
      '/ogc/collections/zones',
      '/ogc/collections/zones/items?limit=2',
      '/ogc/collections/facilities/items?limit=2',
      `/ogc/collections/zones/items/${zoneId}`,
    ];
    for (const path of paths) {
      // The first page is built on a worker thread that may still be loading its modules when the
      // server has just started on a busy machine: a hang, not that, is what the timeout is for.
      const r = await rawRequest(server.url, { path, headers: forged, timeoutMs: 30_000 });
      expect(r.status, `${path}: ${r.text.slice(0, 200)}`).toBe(200);
      const links = linksIn(r.body);
      expect(links.length, path).toBeGreaterThan(0);
      for (const href of links) expect(href.startsWith(`${PUBLIC_URL}/ogc`), `${path}: ${href}`).toBe(true);
      expect(r.text, path).not.toContain(EVIL);
      expect(r.text, path).not.toContain(':8443');
    }
  });

  it('serves the same links with a malformed or missing Host as with a good one', async () => {
    const good = await rawRequest(server.url, { path: '/ogc' });
    for (const host of ['', 'a b', 'x'.repeat(300), '[::1', 'localhost:99999']) {
      const r = await rawRequest(server.url, { path: '/ogc', headers: { host } });
      // Node answers a request without a usable Host with 400 itself, before the service; when
      // the request gets through, its links are the same as everyone's.
      if (r.status === 400) continue;
      expect(r.status, JSON.stringify(host)).toBe(200);
      expect(linksIn(r.body), JSON.stringify(host)).toEqual(linksIn(good.body));
    }
  });

  it('keeps one cache entry for a page asked for under 20 different Host values', async () => {
    const path = '/ogc/collections/zones/items?limit=7';
    const answers = [];
    for (let i = 0; i < 20; i++) {
      answers.push(await rawRequest(server.url, { path, headers: { host: `h${i}.example`, 'x-forwarded-host': `fwd${i}.example` } }));
      // A page built again would carry a later timeStamp (milliseconds); served from its cache
      // entry it is the same bytes every time.
      await sleep(3);
    }
    for (const a of answers) expect(a.status).toBe(200);
    expect(new Set(answers.map((a) => a.body.timeStamp)).size).toBe(1);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(new Set(answers.map((a) => a.headers.etag)).size).toBe(1);
    // The observable works: another query is another entry, built later, with its own timeStamp.
    const other = await rawRequest(server.url, { path: '/ogc/collections/zones/items?limit=8' });
    expect(other.body.timeStamp).not.toBe(answers[0].body.timeStamp);
  });

  it('accepts writes whose Origin is PUBLIC_URL, as behind a proxy that rewrites Host', async () => {
    const designer = await loginAs(server.url, 'designer1');
    const location = { type: 'Point', coordinates: [115.98, 36.45] };
    const own = await rawRequest(server.url, {
      method: 'POST',
      path: '/api/cases',
      headers: { cookie: designer.cookie, 'content-type': 'application/json', origin: PUBLIC_URL, host: '10.0.0.5:3000' },
      body: JSON.stringify({ location, note: '代理后' }),
    });
    expect(own.status, own.text).toBe(201);
    const foreign = await rawRequest(server.url, {
      method: 'POST',
      path: '/api/cases',
      headers: { cookie: designer.cookie, 'content-type': 'application/json', origin: `https://${EVIL}`, host: EVIL },
      body: JSON.stringify({ location, note: '跨站' }),
    });
    expect(foreign.status).toBe(403);
  });
});
