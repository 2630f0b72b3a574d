import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { LayerId } from '../../client/src/map/ids';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';
import {
  TEST_PASSWORD,
  chromiumForTests, chromiumMissingReason,
  ensureClientBuilt,
  launchBrowser,
  logInThroughPage,
  mapZoom,
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

  it('while a polygon is drawn, Undo and Ctrl+Z remove the last placed vertex; once it is finished, they undo the shape', async () => {
    const { page, errors } = await openPage(browser);
    await logInThroughPage(page, server.url, 'designer1', TEST_PASSWORD);
    await page.waitForURL('**/designer');
    await page.getByTestId('draw-toolbar').waitFor();
    await waitForMapIdle(page);
    const centre: [number, number] = [115.96, 36.43];
    // The camera is set, not wheeled: on a busy machine wheel turns can overshoot, and every click
    // below must land on the map at a known scale (the mistakes are about 1 km from the centre).
    await page.evaluate((at) => {
      const map = (globalThis as unknown as { riskZoneMap?: { jumpTo(options: { center: [number, number]; zoom: number }): void } }).riskZoneMap;
      map?.jumpTo({ center: at, zoom: 13.5 });
    }, centre);
    await waitForMapIdle(page);
    expect(await mapZoom(page)).toBeCloseTo(13.5, 1);
    const clickAt = async (at: [number, number]) => {
      const point = await screenPoint(page, at);
      await page.mouse.move(point.x, point.y, { steps: 2 });
      await page.mouse.click(point.x, point.y);
      // terra-draw draws each vertex through MapLibre: the next step waits for it on a busy machine.
      await waitForMapIdle(page);
    };
    const [lon, lat] = centre;
    const corners: [number, number][] = [
      [lon - HALF_WIDTH, lat - HALF_HEIGHT],
      [lon + HALF_WIDTH, lat - HALF_HEIGHT],
      [lon + HALF_WIDTH, lat + HALF_HEIGHT],
      [lon - HALF_WIDTH, lat + HALF_HEIGHT],
    ];
    /** Two clicks placed by mistake, far outside the block: each is taken back before going on. */
    const mistakes: [number, number][] = [
      [lon + 3 * HALF_WIDTH, lat + 2 * HALF_HEIGHT],
      [lon - 3 * HALF_WIDTH, lat - 2 * HALF_HEIGHT],
    ];
    const undo = page.getByTestId('draw-undo');
    await expect(undo.isDisabled()).resolves.toBe(true);

    await page.getByTestId('draw-polygon').click();
    await clickAt(corners[0]);
    await clickAt(corners[1]);
    await clickAt(mistakes[0]);
    // Undo is offered while drawing, and the toolbar button takes back the last vertex.
    await saveScreenshot(page, 'designer-undo-drawing');
    await expect.poll(() => undo.isEnabled()).toBe(true);
    await undo.click();
    await clickAt(corners[2]);
    await clickAt(mistakes[1]);
    // So does Ctrl+Z, with the focus on the map.
    await page.keyboard.press('Control+z');
    await clickAt(corners[3]);
    await clickAt(corners[0]);
    await expect.poll(() => page.getByTestId('zone-form-shape').count()).toBe(1);

    // Outside drawing, Ctrl+Z undoes the last edit (the finished shape), and Ctrl+Y brings it back.
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('zone-form-shape').count()).toBe(0);
    await page.keyboard.press('Control+y');
    await expect.poll(() => page.getByTestId('zone-form-shape').count()).toBe(1);

    // The saved zone has the block's four corners and neither mistaken vertex.
    const name = '撤销顶点测试小区';
    await page.getByTestId('zone-form-name').click();
    await page.keyboard.type(name);
    await page.getByTestId('zone-form-reason').click();
    await page.keyboard.type('浏览器测试：撤销顶点');
    await page.getByTestId('zone-form-save').click();
    await page.getByTestId('designer-notice').waitFor();
    const listItem = page.getByTestId('designer-zone-item').filter({ hasText: name });
    await listItem.waitFor();
    const zoneId = (await listItem.getAttribute('data-zone-id'))!;
    const saved = await (await loginAs(server.url, 'designer2')).get(`/api/zones/${zoneId}`);
    expect(saved.status, saved.text).toBe(200);
    const ring: [number, number][] = saved.body.geometry.type === 'Polygon' ? saved.body.geometry.coordinates[0] : saved.body.geometry.coordinates[0][0];
    expect(ring, JSON.stringify(ring)).toHaveLength(5);
    const nearest = (to: [number, number]) => Math.min(...ring.map(([x, y]) => Math.max(Math.abs(x - to[0]), Math.abs(y - to[1]))));
    for (const corner of corners) expect(nearest(corner), `corner ${corner.join(', ')}`).toBeLessThan(0.0003);
    for (const mistake of mistakes) expect(nearest(mistake), `mistake ${mistake.join(', ')}`).toBeGreaterThan(0.003);

    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('shows a case recorded inside a zone in the zone’s history: its date, the days it restarted and the new expected change date', async () => {
    // A twenty-measures sealed zone designated three days ago (Asia/Shanghai days), then a case in it today.
    const shanghaiDay = (daysAgo: number) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() - daysAgo * 86_400_000));
    const designer = await loginAs(server.url, 'designer1');
    const name = '历史病例测试封控区';
    const created = await designer.post('/api/zones', {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [[[116.05, 36.39], [116.054, 36.39], [116.054, 36.393], [116.05, 36.393], [116.05, 36.39]]] },
      properties: { kind: 'sealed', name, reason: '浏览器测试', edition: 'twenty-measures', designatedOn: shanghaiDay(3) },
    });
    expect(created.status, created.text).toBe(201);
    const zoneId = created.body.id as string;
    expect((await designer.post('/api/bulletins', { zoneIds: [zoneId], title: `关于划定${name}的通告` })).status).toBe(201);
    const recorded = await designer.post('/api/cases', { location: { type: 'Point', coordinates: [116.052, 36.3915] } });
    expect(recorded.status, recorded.text).toBe(201);
    const entry = (await designer.get(`/api/zones/${zoneId}/history`)).body.entries.find((e: { action: string }) => e.action === 'case_recorded');
    expect(entry.details).toMatchObject({ restarted: true, caseFreeDaysBefore: 3 });

    const { page, errors } = await openPage(browser);
    await logInThroughPage(page, server.url, 'designer1', TEST_PASSWORD);
    await page.waitForURL('**/designer');
    await page.getByTestId('designer-zone-item').filter({ hasText: name }).click();
    await page.getByTestId('zone-history').click();
    const history = page.getByTestId('history-table');
    await history.waitFor();
    const row = history.locator('tr').filter({ hasText: '区域内新增病例' });
    await expect(row.count()).resolves.toBe(1);
    const text = await row.innerText();
    expect(text).toContain(`病例报告日期 ${entry.effectiveOn}`);
    expect(text).toContain('无新增天数重新计算（此前已连续 3 天无新增）');
    expect(text).toContain(`预计变更日期：${entry.details.nextChangeOnBefore} → ${entry.details.nextChangeOn}`);
    expect(text).not.toMatch(/case_recorded/);
    await saveScreenshot(page, 'designer-history-case');

    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
