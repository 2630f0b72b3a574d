/**
 * Cheap refusals first (issue 13): a request the service will refuse anyway is refused before its
 * body is read. Each request here announces a 2 MB JSON body (Content-Length, under BODY_LIMIT)
 * and sends only its first bytes: an answer that arrives proves the body was not waited for, let
 * alone parsed. A parser running first would wait for the rest and never answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { loginAs, startTestServer, type TestServer } from '../helpers/server';
import { rawRequest } from './raw-http';

const TWO_MB = 2_000_000;
/** The first bytes of a zone Feature; the rest is never sent. */
const HEAD = '{"type":"Feature","properties":{"kind":"sealed","name":"慢"},"geometry":{"type":"Polygon","coordinates":[[[115.9,36.4],';
const LOGIN_LIMIT = 3;

describe.each(backends())('refusals before the body is read on %s', (backend) => {
  let server: TestServer;
  let designerCookie: string;
  let coordinatorCookie: string;
  beforeAll(async () => {
    server = await startTestServer(backend, { LOGIN_RATE_LIMIT_PER_15MIN: String(LOGIN_LIMIT) });
    designerCookie = (await loginAs(server.url, 'designer1')).cookie;
    coordinatorCookie = (await loginAs(server.url, 'coord1')).cookie;
  });
  afterAll(async () => {
    await server?.close();
  });

  /** POST that announces `contentLength` bytes of JSON and sends only the first few. */
  const unfinished = (path: string, headers: Record<string, string> = {}, contentLength = TWO_MB) =>
    rawRequest(server.url, {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', ...headers },
      body: HEAD,
      contentLength,
      timeoutMs: 4000,
    });

  const zoneCount = async () => Number((await server.db.knex('zones').count({ n: '*' }).first())!.n);

  it('answers an anonymous 2 MB POST /api/zones with 401 without reading the body', async () => {
    const r = await unfinished('/api/zones');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthenticated');
  });

  it('answers a 2 MB POST to an unknown path with 404, with or without a session', async () => {
    for (const headers of [{}, { cookie: designerCookie }] as Record<string, string>[]) {
      for (const path of ['/api/nothing-here', '/api/zones/00000000-0000-4000-8000-000000000000/nothing', '/ogc/collections', '/somewhere-else']) {
        const r = await unfinished(path, headers);
        expect(r.status, path).toBe(404);
        expect(r.body.error.code, path).toBe('route_unknown');
      }
    }
  });

  it('answers a role the route does not admit with 403 without reading the body', async () => {
    const r = await unfinished('/api/zones', { cookie: coordinatorCookie });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('forbidden');
  });

  it('answers a body that is not JSON with 415 unsupported_media_type without reading it', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await unfinished('/api/zones', { cookie: designerCookie, 'content-type': type });
      expect(r.status, type).toBe(415);
      expect(r.body.error.code).toBe('unsupported_media_type');
      expect(r.body.error.details.accepted).toEqual(['application/json', 'application/geo+json']);
    }
  });

  it('answers a cross-site write with 403 without reading the body', async () => {
    const r = await unfinished('/api/zones', { cookie: designerCookie, origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('cross_site_request');
  });

  it('answers a login from an address over its limit with 429 without reading the body', async () => {
    const from = { 'x-forwarded-for': '198.51.100.7' };
    for (let i = 0; i < LOGIN_LIMIT; i++) {
      const r = await rawRequest(server.url, {
        method: 'POST',
        path: '/api/auth/login',
        headers: { 'content-type': 'application/json', ...from },
        body: JSON.stringify({ username: `nobody-${i}`, password: 'wrong-password' }),
      });
      expect(r.status).toBe(401);
    }
    const r = await unfinished('/api/auth/login', from);
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe('rate_limited');
  });

  it('reads the body of an admitted caller: the answer waits for the last byte, then the zone is stored', async () => {
    const before = await zoneCount();
    const zone = JSON.stringify({
      type: 'Feature',
      properties: { kind: 'sealed', name: '慢慢来' },
      geometry: { type: 'Polygon', coordinates: [[[115.9, 36.4], [115.904, 36.4], [115.904, 36.404], [115.9, 36.404], [115.9, 36.4]]] },
    });
    const head = zone.slice(0, 40);
    // JSON allows trailing white space: the rest pads the body to the announced 2 MB.
    const rest = zone.slice(40) + ' '.repeat(TWO_MB - Buffer.byteLength(zone));
    const started = performance.now();
    const r = await rawRequest(server.url, {
      method: 'POST',
      path: '/api/zones',
      headers: { 'content-type': 'application/json', cookie: designerCookie },
      body: head,
      contentLength: TWO_MB,
      rest,
      restAfterMs: 500,
      timeoutMs: 10_000,
    });
    expect(r.status, r.text).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
    expect(await zoneCount()).toBe(before + 1);
  });

  it('still refuses a body over BODY_LIMIT from an admitted caller with 413, from its Content-Length alone', async () => {
    const r = await unfinished('/api/zones', { cookie: designerCookie }, 3 * 1024 * 1024);
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload_too_large');
    expect(r.body.error.details.limitBytes).toBe(2 * 1024 * 1024);
  });
});
