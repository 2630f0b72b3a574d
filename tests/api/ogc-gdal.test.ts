/**
 * The OGC API as a real client reads it: GDAL's OAPIF driver (Debian's gdal-bin, which .ci/run
 * installs) lists and reads every collection, with a filter, a datetime and another CRS. Under
 * CI=true a missing GDAL fails the suite; elsewhere the suite is skipped and says why.
 */
import { execFile, spawnSync } from 'node:child_process';
import { freePort } from '../reliability/processes';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { inCi, requires } from '../helpers/requirements';
import { loginAs, startTestServer, type TestServer } from '../helpers/server';

const run = promisify(execFile);

const gdalInstalled = spawnSync('ogrinfo', ['--version']).status === 0;

const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});

// Under CI the suite runs even without GDAL, so that its first test fails instead of a skip.
const needsGdal = requires(gdalInstalled || inCi, 'needs GDAL (ogrinfo from Debian gdal-bin): apt-get install gdal-bin');

describe.each(backends())('GDAL OAPIF reads /ogc on %s', needsGdal, (backend) => {
  let server: TestServer;
  let base: string;
  let zoneId: string;
  const ogrinfo = async (...args: string[]) => {
    const { stdout } = await run('ogrinfo', args, { timeout: 60_000, env: { ...process.env, GDAL_HTTP_TIMEOUT: '30', CPL_DEBUG: 'OFF' } });
    return stdout;
  };
  beforeAll(async () => {
    // Links are built from PUBLIC_URL, so it must be the address GDAL calls: a free port is found
    // first, and the server started on it.
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = await startTestServer(backend, { PORT: String(port), PUBLIC_URL: base });
    const designer = await loginAs(server.url, 'designer1');
    const z = await designer.post('/api/zones', { type: 'Feature', geometry: square(116.2, 36.3, 0.004), properties: { kind: 'controlled', name: 'GDAL 测试管控区', reason: 'GDAL' } });
    expect(z.status, z.text).toBe(201);
    zoneId = z.body.id;
    const p = await designer.post('/api/bulletins', { zoneIds: [zoneId], title: '关于划定风险区域的通告' });
    expect(p.status, p.text).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('has ogrinfo (gdal-bin, which .ci/run installs)', () => {
    expect(gdalInstalled, 'ogrinfo is missing: install gdal-bin').toBe(true);
  });

  it('lists the three collections', async () => {
    const out = await ogrinfo('-ro', '-so', `OAPIF:${base}/ogc`);
    for (const name of ['zones', 'checkpoints', 'facilities']) expect(out).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it('reads every feature of every collection', async () => {
    for (const name of ['zones', 'checkpoints', 'facilities']) {
      const out = await ogrinfo('-ro', '-al', '-geom=NO', `OAPIF:${base}/ogc`, name);
      const count = Number(/Feature Count: (\d+)/.exec(out)?.[1]);
      const read = (out.match(/^OGRFeature\(/gm) ?? []).length;
      expect(read, name).toBeGreaterThan(0);
      if (Number.isFinite(count)) expect(read, name).toBe(count);
    }
    const zones = await ogrinfo('-ro', '-al', `OAPIF:${base}/ogc`, 'zones');
    expect(zones).toContain('GDAL 测试管控区');
  });

  it('filters with -where (sent to the server as CQL2 where GDAL can, else applied by GDAL)', async () => {
    const out = await ogrinfo('-ro', '-al', '-geom=NO', '-where', "kind = 'controlled'", `OAPIF:${base}/ogc`, 'zones');
    expect(out).toContain('GDAL 测试管控区');
    expect(out).not.toMatch(/kind \(String\) = (sealed|precaution)/);
  });

  it('reads the zones of a datetime and another CRS through items URLs', async () => {
    // GDAL 3.6's OAPIF driver has no DATETIME or CRS open option; its GeoJSON driver reads the items URL.
    const dated = await ogrinfo('-ro', '-al', '-geom=NO', `${base}/ogc/collections/zones/items?datetime=2000-01-01&limit=50`);
    expect(dated).not.toContain('GDAL 测试管控区');
    const today = new Date().toISOString();
    const now = await ogrinfo('-ro', '-al', '-geom=NO', `${base}/ogc/collections/zones/items?datetime=${encodeURIComponent(`../${today}`)}&limit=50`);
    expect(now).toContain('GDAL 测试管控区');
    const latLon = await ogrinfo('-ro', '-al', `${base}/ogc/collections/zones/items/${zoneId}?crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/4490')}`);
    // Latitude first: the south-west corner (116.2, 36.3) reads as 36.3 116.2.
    expect(latLon).toMatch(/36\.3 116\.2/);
  });
});
