/**
 * The public page left open (client/src/public/freshness.ts): a resident who opened it after one
 * bulletin and looks again later sees what was published meanwhile and the day as Asia/Shanghai
 * counts it, without reloading. The page's clock is Playwright's, moved forward by the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loginAs, startTestServer, type Client, type TestServer } from '../helpers/server';
import { requires } from '../helpers/requirements';
import { chromiumForTests, chromiumMissingReason, collectPageErrors, ensureClientBuilt, launchBrowser, newContext } from './helpers';

const chromiumPath = chromiumForTests();

const square = (lon: number, lat: number, side: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]],
});

/** A controlled zone published before the page opens, and a sealed one published while it is open, around the resident's place. */
const FIRST = { kind: 'controlled', name: '东昌府区刷新测试社区管控区', geometry: square(115.95, 36.42, 0.01) };
const LATER = { kind: 'sealed', name: '东昌府区刷新测试小区封控区', geometry: square(115.984, 36.424, 0.002) };
const THIRD = { kind: 'precaution', name: '临清市刷新测试防范区', geometry: square(115.7, 36.83, 0.03) };
const PLACE = '115.985000,36.425000';

async function publish(designer: Client, zone: { kind: string; name: string; geometry: unknown }): Promise<void> {
  const created = await designer.post('/api/zones', { type: 'Feature', geometry: zone.geometry, properties: { kind: zone.kind, name: zone.name, reason: '浏览器测试：页面保持最新' } });
  if (created.status !== 201) throw new Error(`zone not created: ${created.status} ${created.text}`);
  const bulletin = await designer.post('/api/bulletins', { zoneIds: [created.body.id], title: `关于划定${zone.name}的通告` });
  if (bulletin.status !== 201) throw new Error(`bulletin not published: ${bulletin.status} ${bulletin.text}`);
}

/** The day after `day` ('YYYY-MM-DD'). */
const nextDay = (day: string) => new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

describe('the public page left open, in Chromium', requires(Boolean(chromiumPath), chromiumMissingReason()), () => {
  let server: TestServer;
  let browser: Browser;
  let designer: Client;
  beforeAll(async () => {
    await ensureClientBuilt();
    server = await startTestServer('pglite');
    designer = await loginAs(server.url, 'designer1');
    await publish(designer, FIRST);
    browser = await launchBrowser(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows what was published meanwhile every five minutes and when it comes back into view, in the list, the answer and the bulletins, and turns the day at midnight in Shanghai', async () => {
    const context = await newContext(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const errors = collectPageErrors(page);
    // The page's clock runs on from the tests' now, and moves when the test says.
    await page.clock.install({ time: Date.now() });
    await page.goto(`${server.url}/?place=${PLACE}`);
    await expect.poll(() => page.getByTestId('zone-count').innerText()).toBe('1');
    await expect.poll(() => page.getByTestId('lookup-no-zone').count()).toBe(1);
    // The bulletins tab, opened now, follows the record too.
    await page.getByTestId('tab-bulletins').click();
    await expect.poll(() => page.getByTestId('bulletin-list-item').count()).toBe(1);

    // A bulletin seals the resident's compound; five minutes on, the open page shows it and says so in the answer.
    await publish(designer, LATER);
    await page.clock.fastForward(5 * 60_000);
    await expect.poll(() => page.getByTestId('zone-count').innerText()).toBe('2');
    await expect.poll(() => page.getByTestId('lookup-zone').first().innerText()).toContain(LATER.name);
    expect(await page.getByTestId('lookup-no-zone').count()).toBe(0);
    await expect.poll(() => page.getByTestId('bulletin-list-item').count()).toBe(2);

    // Another, then the page comes back into view a minute later: it asks at once, not at the next five minutes.
    await publish(designer, THIRD);
    await page.clock.fastForward(60_000);
    await page.evaluate(() => (globalThis as unknown as { document: { dispatchEvent(event: Event): boolean } }).document.dispatchEvent(new Event('visibilitychange')));
    await expect.poll(() => page.getByTestId('zone-count').innerText()).toBe('3');
    await expect.poll(() => page.getByTestId('bulletin-list-item').first().innerText()).toContain(THIRD.name);

    // The date control ends on today in Shanghai, and on the next day once midnight there has passed.
    await page.getByTestId('tab-history').click();
    const today = await page.getByTestId('as-of-date').getAttribute('max');
    const untilMidnight = await page.evaluate(() => {
      const local = Date.now() + 8 * 3_600_000;
      return Math.ceil((local + 1) / 86_400_000) * 86_400_000 - local;
    });
    await page.clock.fastForward(untilMidnight + 2_000);
    await expect.poll(() => page.getByTestId('as-of-date').getAttribute('max')).toBe(nextDay(today!));

    expect(errors).toEqual([]);
    await context.close();
  });
});
