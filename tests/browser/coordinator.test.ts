import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { LayerId } from '../../client/src/map/ids';
import { loginAs, startTestServer, type TestServer } from '../helpers/server';
import {
  TEST_PASSWORD,
  chromiumForTests, chromiumMissingReason,
  collectPageErrors,
  mapZoom,
  ensureClientBuilt,
  launchBrowser,
  newContext,
  logInThroughPage,
  openPage,
  renderedFeatures,
  saveScreenshot,
  screenPoint,
  waitForMapIdle,
  wheelZoomTo,
} from './helpers';
import { requires } from '../helpers/requirements';

const chromiumPath = chromiumForTests();

/** The G20 聊城北 toll-gate exit checkpoint (sample data in geodata/checkpoints.geojson). */
const CHECKPOINT = { id: 'cp-15', name: 'G20聊城北收费站出口服务点（示例）', at: [115.985, 36.507] as [number, number] };
/** A destination in the city, south of the checkpoint, a few hundred metres off 花园路. */
const DESTINATION: [number, number] = [115.975, 36.455];
/** A delivery address west of the centre: a sealed building inside a controlled compound. */
const SEALED_ADDRESS: [number, number] = [115.952, 36.432];

const box = (lon: number, lat: number, half: number) => [
  [lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half],
];

/** The number of pages of a PDF: its `/Type /Page` objects (not the `/Type /Pages` tree nodes). */
function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

/** What the workspace shows for an instant: Asia/Shanghai wall-clock time, whatever the browser's zone. */
function shanghaiTime(iso: string): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

describe('coordinator workspace in Chromium', requires(Boolean(chromiumPath), chromiumMissingReason()), () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    await ensureClientBuilt();
    server = await startTestServer('pglite');
    browser = await launchBrowser(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('plans a route from a checkpoint clicked on the map to a clicked destination, with distance, time, roads and the route drawn', async () => {
    const { page, errors } = await openPage(browser);
    await logInThroughPage(page, server.url, 'coord1', TEST_PASSWORD);
    await page.waitForURL('**/coordinator');
    await page.getByTestId('coordinator-checkpoint-item').first().waitFor();
    await waitForMapIdle(page);
    const between: [number, number] = [(CHECKPOINT.at[0] + DESTINATION[0]) / 2, (CHECKPOINT.at[1] + DESTINATION[1]) / 2];
    await wheelZoomTo(page, between, 11);

    // Choose the checkpoint by clicking its circle on the map.
    const checkpointAt = await screenPoint(page, CHECKPOINT.at);
    await page.mouse.click(checkpointAt.x, checkpointAt.y);
    await page.getByTestId('tab-route').click();
    await expect.poll(() => page.getByTestId('route-form').innerText()).toContain(CHECKPOINT.name);

    // Pick the destination on the map: the next click is a place, and fills the coordinates.
    await page.getByTestId('route-pick').click();
    await expect(page.getByTestId('route-pick').getAttribute('aria-pressed')).resolves.toBe('true');
    const destinationAt = await screenPoint(page, DESTINATION);
    await page.mouse.click(destinationAt.x, destinationAt.y);
    await expect.poll(async () => Number(await page.getByTestId('route-to-lon').inputValue())).toBeCloseTo(DESTINATION[0], 2);
    expect(Number(await page.getByTestId('route-to-lat').inputValue())).toBeCloseTo(DESTINATION[1], 2);

    await page.getByTestId('route-submit').click();
    const result = page.getByTestId('route-result');
    await result.waitFor();

    // The panel shows what the service plans between the same two places.
    const to = [Number(await page.getByTestId('route-to-lon').inputValue()), Number(await page.getByTestId('route-to-lat').inputValue())];
    const coordinator = await loginAs(server.url, 'coord1');
    const planned = await coordinator.post('/api/routes', {
      from: CHECKPOINT.id,
      to: { type: 'Point', coordinates: to },
      avoid: ['sealed', 'controlled'],
    });
    expect(planned.status, planned.text).toBe(200);
    const { distanceMeters, durationSeconds, roadNames } = planned.body.properties;
    expect(roadNames.length).toBeGreaterThan(0);
    const facts = await result.locator('dl').innerText();
    // A route of a few kilometres and minutes: shown to a tenth of a kilometre and in whole minutes.
    expect(distanceMeters).toBeGreaterThan(1000);
    expect(durationSeconds).toBeLessThan(3600);
    await expect(page.getByTestId('route-distance').innerText()).resolves.toBe(`${(distanceMeters / 1000).toFixed(1)} 公里`);
    expect(facts).toContain(`${Math.max(1, Math.round(durationSeconds / 60))} 分钟`);
    expect(facts).toContain(roadNames.join(' → '));

    // MapLibre draws the route line once the camera has fitted it.
    await expect.poll(async () => (await renderedFeatures(page, LayerId.routeLine)).length, { timeout: 20_000 }).toBeGreaterThan(0);
    await waitForMapIdle(page);
    await saveScreenshot(page, 'coordinator-route');

    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('lists every reported truck before any checkpoint is chosen, filters by checkpoint, shows who recorded each hand-over step and when, zooms to a chosen checkpoint, names the sealed zone of a destination and prints the sheet on one A4 page', async () => {
    // Two trucks at two checkpoints, one of them already arrived; a sealed building in a controlled compound.
    const coordinator = await loginAs(server.url, 'coord1');
    const report = async (plate: string, checkpointId: string, to: [number, number]) => {
      const r = await coordinator.post('/api/trucks', {
        plate, driverName: '孙师傅', driverPhone: '13500000000', originCity: '天津', fromHighRiskArea: true,
        destination: { type: 'Point', coordinates: to }, destinationAddress: '测试收货点', expectedArrival: '2026-11-23T08:00:00+08:00', checkpointId,
      });
      expect(r.status, r.text).toBe(201);
      return r.body.truck.id as string;
    };
    const atCheckpoint = await report('鲁P·30001', CHECKPOINT.id, SEALED_ADDRESS);
    const elsewhere = await report('鲁A·30002', 'cp-02', DESTINATION);
    expect((await coordinator.post(`/api/trucks/${atCheckpoint}/events`, { state: 'arrived', note: '核酸阴性' })).status).toBe(201);
    const designer = await loginAs(server.url, 'designer1');
    const zoneIds: string[] = [];
    for (const [kind, name, half] of [['sealed', '浏览器目的地楼栋封控区', 0.0003], ['controlled', '浏览器目的地小区管控区', 0.008]] as const) {
      const z = await designer.post('/api/zones', { type: 'Feature', geometry: { type: 'Polygon', coordinates: [box(SEALED_ADDRESS[0], SEALED_ADDRESS[1], half)] }, properties: { kind, name } });
      expect(z.status, z.text).toBe(201);
      zoneIds.push(z.body.id);
    }
    expect((await designer.post('/api/bulletins', { zoneIds, title: '关于划定浏览器测试风险区域的通告' })).status).toBe(201);
    // The truck's route was planned before the zones: plan it again so it goes around them.
    expect((await coordinator.post(`/api/trucks/${atCheckpoint}/route`)).status).toBe(200);
    const register = (await coordinator.get(`/api/trucks/${atCheckpoint}`)).body.events as { state: string; at: string; by: string }[];
    expect(register.map((step) => step.state)).toEqual(['reported', 'arrived', 'route_planned']);

    // A browser in another time zone: the register must still read in Asia/Shanghai time.
    const context = await newContext(browser, { viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'America/New_York' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const errors = collectPageErrors(page);
    await logInThroughPage(page, server.url, 'coord1', TEST_PASSWORD);
    await page.waitForURL('**/coordinator');
    await page.getByTestId('coordinator-checkpoint-item').first().waitFor();
    await waitForMapIdle(page);

    // Every reported truck is listed with no checkpoint chosen, each with its checkpoint named.
    await page.getByTestId('tab-trucks').click();
    const item = (id: string) => page.locator(`[data-testid="truck-item"][data-truck-id="${id}"]`);
    await item(atCheckpoint).waitFor();
    await item(elsewhere).waitFor();
    await expect(item(atCheckpoint).getByTestId('truck-checkpoint').innerText()).resolves.toContain(CHECKPOINT.name);
    // Filtered to one checkpoint, then to all again.
    await page.getByTestId('truck-filter').selectOption(CHECKPOINT.id);
    await item(elsewhere).waitFor({ state: 'detached' });
    await expect(item(atCheckpoint).count()).resolves.toBe(1);
    await page.getByTestId('truck-filter').selectOption('');
    await item(elsewhere).waitFor();

    // The hand-over register: each step with who recorded it and when, in Asia/Shanghai time.
    await item(atCheckpoint).getByTestId('truck-register').locator('summary').click();
    const steps = item(atCheckpoint).getByTestId('truck-register-step');
    await expect.poll(() => steps.count()).toBe(register.length);
    for (const [index, step] of register.entries()) {
      const text = await steps.nth(index).innerText();
      expect(text).toContain(step.by);
      expect(text).toContain(shanghaiTime(step.at));
    }
    expect(await steps.nth(1).innerText()).toContain('核酸阴性');
    await saveScreenshot(page, 'coordinator-trucks');

    // Choosing a checkpoint in the list shows it with its surroundings (zoom 15), and filters the trucks to it.
    await page.getByTestId('tab-checkpoints').click();
    await page.getByTestId('checkpoint-search').fill('G20聊城北');
    await page.getByTestId('coordinator-checkpoint-item').first().click();
    await waitForMapIdle(page);
    expect(await mapZoom(page)).toBeCloseTo(15, 1);
    const centre = await screenPoint(page, CHECKPOINT.at);
    const canvas = await page.locator('.maplibregl-canvas').boundingBox();
    expect(Math.abs(centre.x - (canvas!.x + canvas!.width / 2))).toBeLessThan(5);
    expect(Math.abs(centre.y - (canvas!.y + canvas!.height / 2))).toBeLessThan(5);
    await page.getByTestId('tab-trucks').click();
    await expect(page.getByTestId('truck-filter').inputValue()).resolves.toBe(CHECKPOINT.id);
    await item(elsewhere).waitFor({ state: 'detached' });

    // The truck's route names the sealed zone its destination lies in, not the controlled zone around it.
    await item(atCheckpoint).getByTestId('truck-show-route').click();
    const destinationZone = page.getByTestId('route-destination-zone');
    await destinationZone.waitFor();
    await expect(destinationZone.getAttribute('data-zone-id')).resolves.toBe(zoneIds[0]);
    expect(await destinationZone.innerText()).toContain('封控区');
    expect(await destinationZone.innerText()).toContain('浏览器目的地楼栋封控区');

    // The printed route sheet of this truck fits one A4 page, signature lines included.
    await page.getByTestId('route-print').click();
    const sheet = page.getByTestId('route-sheet');
    await sheet.getByTestId('sheet-signatures').waitFor();
    await sheet.locator('img').waitFor();
    await expect(sheet.getByTestId('sheet-destination-zone').innerText()).resolves.toContain('浏览器目的地楼栋封控区');
    // What the dialog's Print button does before window.print(): print the dialog alone.
    await page.evaluate(() => {
      (globalThis as unknown as { document: { documentElement: { classList: { add(name: string): void } } } }).document.documentElement.classList.add('printing-dialog');
    });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdfPageCount(pdf)).toBe(1);
    // The same sheet without the print rules' caps (the map as wide as the page, a line per road)
    // runs onto a second page: the rules are what keep it on one.
    await page.addStyleTag({
      content: '@media print { .route-sheet__map { max-height: none !important; width: 100% !important; } .route-sheet__roads li { display: list-item !important; } }',
    });
    expect(pdfPageCount(await page.pdf({ format: 'A4', printBackground: true }))).toBeGreaterThan(1);

    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
