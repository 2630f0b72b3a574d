import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { LayerId } from '../../client/src/map/ids';
import { Client, startTestServer, type TestServer } from '../helpers/server';
import {
  TEST_PASSWORD,
  chromiumForTests, chromiumMissingReason,
  ensureClientBuilt,
  launchBrowser,
  logInThroughPage,
  openPage,
  saveScreenshot,
  screenPoint,
  waitForMapIdle,
  waitForRenderedFeature,
  wheelZoomTo,
} from './helpers';
import { requires } from '../helpers/requirements';

const chromiumPath = chromiumForTests();

/** A block in central 东昌府区, east of 花园路; the zone is drawn around it. */
const BLOCK_CENTRE: [number, number] = [115.99, 36.445];
const HALF_WIDTH = 0.004;
const HALF_HEIGHT = 0.003;
const ZONE_NAME = '浏览器测试小区封控区';
const SEALED_MEASURES = '区域封闭、足不出户、服务上门';

describe('designator workspace in Chromium', requires(Boolean(chromiumPath), chromiumMissingReason()), () => {
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

  it('draws a zone with mouse clicks, saves, selects and publishes it with a preview, and the public map then draws and lists it', async () => {
    const { page, errors } = await openPage(browser);

    await logInThroughPage(page, server.url, 'designer1', TEST_PASSWORD);
    await page.waitForURL('**/designer');
    await expect.poll(() => page.getByTestId('current-user').innerText()).toContain('designer1');
    await page.getByTestId('draw-toolbar').waitFor();
    await waitForMapIdle(page);
    await wheelZoomTo(page, BLOCK_CENTRE, 13.5);

    // Draw the block as a polygon: four corners, then a click on the first one closes it.
    await page.getByTestId('draw-polygon').click();
    const [lon, lat] = BLOCK_CENTRE;
    const ring: [number, number][] = [
      [lon - HALF_WIDTH, lat - HALF_HEIGHT],
      [lon + HALF_WIDTH, lat - HALF_HEIGHT],
      [lon + HALF_WIDTH, lat + HALF_HEIGHT],
      [lon - HALF_WIDTH, lat + HALF_HEIGHT],
      [lon - HALF_WIDTH, lat - HALF_HEIGHT],
    ];
    for (const corner of ring) {
      const at = await screenPoint(page, corner);
      await page.mouse.move(at.x, at.y, { steps: 2 });
      await page.mouse.click(at.x, at.y);
    }
    await expect.poll(() => page.getByTestId('zone-form-shape').count()).toBe(1);
    await expect(page.getByTestId('zone-form-kind').inputValue()).resolves.toBe('sealed');

    await page.getByTestId('zone-form-name').click();
    await page.keyboard.type(ZONE_NAME);
    await page.getByTestId('zone-form-reason').click();
    await page.keyboard.type('浏览器测试：病例居住楼栋');
    await saveScreenshot(page, 'designer-drawn');
    await page.getByTestId('zone-form-save').click();
    await page.getByTestId('designer-notice').waitFor();

    const listItem = page.getByTestId('designer-zone-item').filter({ hasText: ZONE_NAME });
    await listItem.waitFor();
    const zoneId = (await listItem.getAttribute('data-zone-id'))!;
    expect(zoneId).toBeTruthy();
    // The saved draft is drawn by MapLibre (no longer by terra-draw) with the dashed draft outline.
    await waitForRenderedFeature(page, LayerId.zoneOutlineDraft, 'id', zoneId);

    // Selecting on the map: a click beside the zone clears the selection, a click inside selects it.
    const beside = await screenPoint(page, [lon + 3 * HALF_WIDTH, lat]);
    await page.mouse.click(beside.x, beside.y);
    await page.getByTestId('zone-detail').waitFor({ state: 'detached' });
    const inside = await screenPoint(page, BLOCK_CENTRE);
    await page.mouse.click(inside.x, inside.y);
    await expect.poll(() => page.getByTestId('zone-detail').innerText()).toContain(ZONE_NAME);
    await expect(listItem.getAttribute('aria-pressed')).resolves.toBe('true');
    await saveScreenshot(page, 'designer-selected');

    // Publish: choose the draft, preview the notice text, then publish it as a bulletin.
    await page.getByTestId('tab-publish').click();
    await page.getByTestId('publish-zone').and(page.locator(`[value="${zoneId}"]`)).check();
    await page.getByTestId('publish-title').click();
    await page.keyboard.type('关于划定浏览器测试小区为封控区的通告');
    await page.getByTestId('publish-preview').click();
    const preview = page.getByTestId('publish-preview-text');
    await preview.waitFor();
    expect(await preview.innerText()).toContain(ZONE_NAME);
    expect(await preview.innerText()).toContain(SEALED_MEASURES);
    await saveScreenshot(page, 'designer-publish-preview');
    await page.getByTestId('publish-submit').click();
    await expect.poll(() => page.getByTestId('publish-done').innerText()).toContain('关于划定浏览器测试小区为封控区的通告');

    // The zone's history names every step in words, never as the server's codes.
    await page.getByTestId('tab-zones').click();
    await listItem.click();
    await page.getByTestId('zone-history').click();
    const history = page.getByTestId('history-table');
    await history.waitFor();
    const historyText = await history.innerText();
    expect(historyText).toContain('创建草稿');
    expect(historyText).toContain('发布');
    expect(historyText).not.toMatch(/\b(created|edited|edited_pending|published|republished|lifted_by_hand|screening_recorded|rule_transition|rule_revised|state_applied)\b/);
    await page.keyboard.press('Escape');
    await page.getByTestId('history-dialog').waitFor({ state: 'hidden' });

    const publicZones = await new Client(server.url).get('/api/public/zones');
    const published = publicZones.body.features.find((feature: { id: string }) => feature.id === zoneId);
    expect(published?.properties).toMatchObject({ name: ZONE_NAME, kind: 'sealed', status: 'published' });
    // The clicks made the block's four corners, to within a few pixels (about 30 m at this zoom).
    const saved: [number, number][] = published.geometry.type === 'Polygon' ? published.geometry.coordinates[0] : published.geometry.coordinates[0][0];
    expect(saved).toHaveLength(5);
    for (const corner of ring.slice(0, 4)) {
      const nearest = Math.min(...saved.map(([x, y]) => Math.max(Math.abs(x - corner[0]), Math.abs(y - corner[1]))));
      expect(nearest, `corner ${corner.join(', ')}`).toBeLessThan(0.0003);
    }

    // The public map, reached through the header link: listed, and drawn once chosen in the list.
    await page.getByTestId('nav-public').click();
    await page.waitForURL(`${server.url}/`);
    const publicItem = page.getByTestId('zone-list-item').filter({ hasText: ZONE_NAME });
    await publicItem.click();
    const drawn = await waitForRenderedFeature(page, LayerId.zoneFill, 'id', zoneId);
    expect(drawn).toMatchObject({ kind: 'sealed', name: ZONE_NAME });
    await waitForMapIdle(page);
    await saveScreenshot(page, 'public-after-publish');

    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
