import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { freshDatabase, loginAs, startTestServer, type Client, type TestServer } from '../helpers/server';
import { startServiceProcess, type ServiceProcess } from '../reliability/processes';

// Read by the webhooks router when the app is built (this file runs in its own process): the local
// receiver may be reached over http, and retries come quickly.
process.env.WEBHOOK_ALLOW_HOSTS = '127.0.0.1';
process.env.WEBHOOK_RETRY_BASE_MS = '200';
process.env.WEBHOOK_RETRY_MAX_MS = '1000';
process.env.WEBHOOK_POLL_MS = '200';

const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local webhook receiver: records every request; answers each path with the statuses queued for it, then 200. */
async function startReceiver() {
  const received: Received[] = [];
  const answers = new Map<string, number[]>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.statusCode = answers.get(req.url ?? '')?.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    received,
    at: (path: string) => received.filter((r) => r.path === path),
    answer: (path: string, statuses: number[]) => answers.set(path, statuses),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Whether the X-Signature header is the HMAC-SHA256 of `${t}.${body}` under `secret`. */
const signedWith = (secret: string, r: Received) => {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(r.headers['x-signature']));
  if (!m) return false;
  const expected = crypto.createHmac('sha256', secret).update(`${m[1]}.${r.body}`).digest('hex');
  return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(m[2])) && Math.abs(Date.now() / 1000 - Number(m[1])) < 300;
};

type Falsy = null | undefined | false;

async function waitFor<T>(what: string, probe: () => T | Falsy | Promise<T | Falsy>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as T;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const publishZone = async (designer: Client, name: string, geometry: unknown): Promise<string> => {
  const zone = await designer.post('/api/zones', { type: 'Feature', geometry, properties: { kind: 'sealed', name, reason: '订阅测试' } });
  expect(zone.status, zone.text).toBe(201);
  const bulletin = await designer.post('/api/bulletins', { zoneIds: [zone.body.id], title: '关于划定风险区域的通告' });
  expect(bulletin.status, bulletin.text).toBe(201);
  return zone.body.id;
};

describe.each(backends())('webhook subscriptions on %s', (backend) => {
  let server: TestServer;
  let admin: Client;
  let designer: Client;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startTestServer(backend);
    admin = await loginAs(server.url, 'admin');
    designer = await loginAs(server.url, 'designer1');
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  it('refuses plain http, private and loopback targets that are not allow-listed', async () => {
    const area = { countyCode: '371502' };
    const cases: [string, string][] = [
      ['http://hooks.example.org/x', 'webhook_https_required'],
      ['https://10.1.2.3/x', 'webhook_host_not_allowed'],
      ['https://[::1]/x', 'webhook_host_not_allowed'],
      ['https://localhost/x', 'webhook_host_not_allowed'],
      ['https://169.254.169.254/latest', 'webhook_host_not_allowed'],
      ['ftp://hooks.example.org/x', 'webhook_https_required'],
      ['not a url', 'webhook_url_invalid'],
    ];
    for (const [url, code] of cases) {
      const r = await admin.post('/api/admin/webhooks', { url, area });
      expect([r.status, r.body?.error?.code], url).toEqual([400, code]);
    }
    const unknownCounty = await admin.post('/api/admin/webhooks', { url: 'https://hooks.example.org/x', area: { countyCode: '999999' } });
    expect(unknownCounty.body.error.code).toBe('webhook_county_unknown');
    const twoAreas = await admin.post('/api/admin/webhooks', { url: 'https://hooks.example.org/x', area: { countyCode: '371502', point: { type: 'Point', coordinates: [115.98, 36.45] }, radiusMeters: 10 } });
    expect(twoAreas.body.error.code).toBe('webhook_area_invalid');
  });

  it('shows the secret once, at creation, and never in the list; deletes a subscription', async () => {
    const created = await admin.post('/api/admin/webhooks', { url: 'https://hooks.example.org/listed', area: { countyCode: '371502' } });
    expect(created.status, created.text).toBe(201);
    expect(created.body.secret.length).toBeGreaterThanOrEqual(32);
    const list = await admin.get('/api/admin/webhooks');
    expect(list.status).toBe(200);
    expect(list.body.subscriptions.map((s: { id: string }) => s.id)).toContain(created.body.id);
    expect(list.text).not.toContain(created.body.secret);
    expect(list.text).not.toContain('"secret"');
    expect((await admin.delete(`/api/admin/webhooks/${created.body.id}`)).status).toBe(204);
    expect((await admin.get('/api/admin/webhooks')).body.subscriptions.map((s: { id: string }) => s.id)).not.toContain(created.body.id);
    expect((await admin.delete(`/api/admin/webhooks/${created.body.id}`)).status).toBe(404);
  });

  it('delivers, signed and in order, each publication that changes a zone touching the area, and only those', async () => {
    const secret = 'a-test-secret-of-some-length';
    const byPolygon = await admin.post('/api/admin/webhooks', { url: `${receiver.base}/polygon`, secret, area: { polygon: square(115.96, 36.43, 0.03) } });
    expect(byPolygon.status, byPolygon.text).toBe(201);
    const byPoint = await admin.post('/api/admin/webhooks', { url: `${receiver.base}/point`, secret, area: { point: { type: 'Point', coordinates: [115.977, 36.447] }, radiusMeters: 300 } });
    expect(byPoint.status, byPoint.text).toBe(201);

    const first = await publishZone(designer, '订阅区内一', square(115.97, 36.44, 0.004));
    const outside = await publishZone(designer, '订阅区外', square(116.1, 36.3, 0.004));
    const third = await publishZone(designer, '订阅区内二', square(115.975, 36.445, 0.004));

    const got = await waitFor('two deliveries to /polygon', () => (receiver.at('/polygon').length >= 2 ? receiver.at('/polygon') : null));
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.at('/polygon')).toHaveLength(2);
    const bodies = got.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.zones.map((z: { id: string }) => z.id))).toEqual([[first], [third]]);
    expect(bodies[0].publication).toBeLessThan(bodies[1].publication);
    expect(JSON.stringify(bodies)).not.toContain(outside);
    expect(bodies[1]).toMatchObject({ kind: 'bulletin', title: '关于划定风险区域的通告', subscription: byPolygon.body.id });
    expect(new Date(bodies[1].publishedAt).toISOString()).toBe(bodies[1].publishedAt);
    expect(bodies[1].zones[0]).toMatchObject({ id: third, inForce: true, kind: 'sealed', name: '订阅区内二' });
    for (const r of got) expect(signedWith(secret, r), r.headers['x-signature'] as string).toBe(true);
    expect(signedWith('another-secret-entirely', got[0])).toBe(false);

    // 300 m around a point inside the third zone: only the third publication.
    const byPointGot = await waitFor('one delivery to /point', () => (receiver.at('/point').length >= 1 ? receiver.at('/point') : null));
    expect(byPointGot.map((r) => JSON.parse(r.body).zones.map((z: { id: string }) => z.id))).toEqual([[third]]);
  });

  it('retries after the receiver fails, records every attempt, and sends the same body', async () => {
    receiver.answer('/flaky', [500, 503]);
    const sub = await admin.post('/api/admin/webhooks', { url: `${receiver.base}/flaky`, area: { polygon: square(115.99, 36.46, 0.01) } });
    expect(sub.status, sub.text).toBe(201);
    await publishZone(designer, '重试区', square(115.992, 36.462, 0.004));
    const deliveries = await waitFor('the delivery to be delivered', async () => {
      const d = (await admin.get(`/api/admin/webhooks/${sub.body.id}/deliveries`)).body.deliveries;
      return d[0]?.status === 'delivered' ? d : null;
    });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ attempts: 3, lastStatusCode: 200, lastError: null });
    const tries = receiver.at('/flaky');
    expect(tries).toHaveLength(3);
    expect(new Set(tries.map((t) => t.body)).size).toBe(1);
    for (const t of tries) expect(signedWith(sub.body.secret, t)).toBe(true);
    const attempts = await server.db.knex('webhook_attempts').where({ delivery_id: deliveries[0].id }).orderBy('id');
    expect(attempts.map((a) => a.status_code)).toEqual([500, 503, 200]);
  });
});

describe.each(backends())('webhook deliveries across a crash on %s', (backend) => {
  let service: ServiceProcess | null = null;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await service?.kill('SIGTERM');
    await receiver?.close();
  });

  it('delivers a publication whose attempts failed before the service was killed (kill -9), once it is started again', async () => {
    // The service runs as its own process here, so that it can be killed like a crash.
    const env = {
      ...(await freshDatabase(backend)),
      WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      WEBHOOK_RETRY_BASE_MS: '200',
      WEBHOOK_RETRY_MAX_MS: '1000',
      WEBHOOK_POLL_MS: '200',
      // A kill can land while a delivery is claimed: its lease must run out within the test.
      WEBHOOK_LEASE_MS: '1000',
      WEBHOOK_TIMEOUT_MS: '2000',
    };
    service = await startServiceProcess(env);
    const admin = await loginAs(service.url, 'admin');
    const designer = await loginAs(service.url, 'designer1');
    receiver.answer('/down', Array(1000).fill(500));
    const sub = await admin.post('/api/admin/webhooks', { url: `${receiver.base}/down`, area: { countyCode: '371502' } });
    expect(sub.status, sub.text).toBe(201);
    const zone = await publishZone(designer, '重启区', square(115.97, 36.44, 0.004));
    await waitFor('a failed attempt', () => receiver.at('/down').length >= 1);
    expect(await service.kill('SIGKILL')).toBe('SIGKILL');
    service = null;
    const failedBefore = receiver.at('/down').length;
    receiver.answer('/down', []);

    service = await startServiceProcess(env);
    const delivered = await waitFor('the delivery after the restart', () => receiver.at('/down').find((r, i) => i >= failedBefore && r.body.includes(zone)), 60_000);
    expect(signedWith(sub.body.secret, delivered)).toBe(true);
    const admin2 = await loginAs(service.url, 'admin');
    const d = await waitFor('the delivery to be recorded', async () => {
      const rows = (await admin2.get(`/api/admin/webhooks/${sub.body.id}/deliveries`)).body.deliveries;
      return rows[0]?.status === 'delivered' ? rows : null;
    });
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ lastStatusCode: 200, lastError: null });
  }, 120_000);
});
