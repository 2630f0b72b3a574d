import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { LayerId } from '../../client/src/map/ids';
import { loginAs, startTestServer, type TestServer } from '../helpers/server';
import {
  TEST_PASSWORD,
  chromiumForTests, chromiumMissingReason,
  ensureClientBuilt,
  launchBrowser,
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
});
