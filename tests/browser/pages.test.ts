import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { LayerId } from '../../client/src/map/ids';
import { startTestServer, type TestServer } from '../helpers/server';
import {
  TEST_PASSWORD,
  chromiumForTests, chromiumMissingReason,
  ensureClientBuilt,
  launchBrowser,
  logInThroughPage,
  openPage,
  renderedFeatures,
  saveScreenshot,
  waitForMapIdle,
} from './helpers';
import { requires } from '../helpers/requirements';

const chromiumPath = chromiumForTests();

/**
 * Walks a page's panel tabs with the keyboard (Right arrow, as the WAI-ARIA tab pattern has it),
 * checking each tab is selected and its panel shown, so every panel renders once.
 */
async function walkTabs(page: Page, tabIds: string[]): Promise<void> {
  await page.getByTestId(`tab-${tabIds[0]}`).click();
  for (const id of tabIds.slice(1)) {
    await page.keyboard.press('ArrowRight');
    const tab = page.getByTestId(`tab-${id}`);
    await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
    await expect(page.locator(`#${await tab.getAttribute('aria-controls')}`).isVisible()).resolves.toBe(true);
  }
}

describe('every page in Chromium', requires(Boolean(chromiumPath), chromiumMissingReason()), () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    await ensureClientBuilt();
    // The sample outbreak (zones, cases, a bulletin, all marked 示例) gives every page content.
    server = await startTestServer('pglite', { LOAD_DEMO_OUTBREAK: 'true' });
    browser = await launchBrowser(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads the public risk map with its zones drawn and every panel tab', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${server.url}/`);
    await expect.poll(async () => Number(await page.getByTestId('zone-count').innerText())).toBeGreaterThan(0);
    await waitForMapIdle(page);
    await expect.poll(async () => (await renderedFeatures(page, LayerId.zoneFill)).length).toBeGreaterThan(0);
    // Hospitals and clinics whose location is approximate are drawn as hollow rings on their own
    // layer, from zoom 10 on (at the city-wide view they would cover the zones).
    await page.evaluate(() => (globalThis as unknown as { riskZoneMap: { jumpTo(o: unknown): void } }).riskZoneMap.jumpTo({ center: [115.98, 36.45], zoom: 11 }));
    await waitForMapIdle(page);
    const facilities = async () =>
      (await renderedFeatures(page, LayerId.facilityCircle)).length + (await renderedFeatures(page, LayerId.facilityApproximate)).length;
    await expect.poll(facilities).toBeGreaterThan(0);
    await saveScreenshot(page, 'page-public');
    await walkTabs(page, ['list', 'history', 'bulletins']);
    await page.getByTestId('bulletin-list-item').first().click();
    await page.getByTestId('bulletin-text').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('bulletin-text').waitFor({ state: 'hidden' });

    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('loads the login page', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-form').waitFor();
    await saveScreenshot(page, 'page-login');

    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('sends a visitor without a session from /designer to the login page, and back after logging in', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${server.url}/designer`);
    await page.waitForURL(/\/login\?redirect=(%2F|\/)designer/);
    await page.getByTestId('login-username').click();
    await page.keyboard.type('designer1');
    await page.keyboard.press('Tab');
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/designer');
    await page.getByTestId('draw-toolbar').waitFor();

    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('loads the designator workspace with its zones, cases and every panel tab', async () => {
    const { page, errors } = await openPage(browser);
    await logInThroughPage(page, server.url, 'designer1', TEST_PASSWORD);
    await page.waitForURL('**/designer');
    await expect.poll(async () => Number(await page.getByTestId('designer-zone-count').innerText())).toBeGreaterThan(0);
    await waitForMapIdle(page);
    await expect.poll(async () => (await renderedFeatures(page, LayerId.zoneFill)).length).toBeGreaterThan(0);
    await saveScreenshot(page, 'page-designer');
    await walkTabs(page, ['zones', 'cases', 'publish', 'dashboard', 'files']);
    await page.getByTestId('tab-dashboard').click();
    await page.getByTestId('chart-in-force').waitFor();
    await page.getByTestId('chart-in-force-per-day').waitFor();
    await saveScreenshot(page, 'page-designer-dashboard');

    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('loads the coordinator workspace with its checkpoints and every panel tab', async () => {
    const { page, errors } = await openPage(browser);
    await logInThroughPage(page, server.url, 'coord1', TEST_PASSWORD);
    await page.waitForURL('**/coordinator');
    await expect.poll(() => page.getByTestId('coordinator-checkpoint-item').count()).toBeGreaterThan(0);
    await waitForMapIdle(page);
    await expect.poll(async () => (await renderedFeatures(page, LayerId.checkpointCircle)).length).toBeGreaterThan(0);
    await saveScreenshot(page, 'page-coordinator');
    await walkTabs(page, ['checkpoints', 'trucks', 'route']);

    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('switches the interface to English, keeps it after a reload and on the other pages', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${server.url}/`);
    await page.getByTestId('zone-list-item').first().waitFor();
    await page.getByTestId('locale-switch').selectOption('en');
    await expect.poll(() => page.getByTestId('tab-list').innerText()).toBe('List');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');

    await page.reload();
    await expect.poll(() => page.getByTestId('tab-history').innerText()).toBe('Earlier days');
    await waitForMapIdle(page);
    await saveScreenshot(page, 'page-public-en');

    await page.getByTestId('nav-login').click();
    await page.getByTestId('login-form').waitFor();
    await expect(page.getByTestId('login-submit').innerText()).resolves.toBe('Log in');
    await page.getByTestId('login-username').click();
    await page.keyboard.type('coord1');
    await page.keyboard.press('Tab');
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/coordinator');
    await expect.poll(() => page.getByTestId('tab-checkpoints').innerText()).toBe('Checkpoints');
    await waitForMapIdle(page);
    await saveScreenshot(page, 'page-coordinator-en');

    expect(errors).toEqual([]);
    await page.context().close();
  });
});
