/**
 * The public page on a phone (390×844, touch), as a resident uses it: one tap on "use my
 * location", a search for a township, the zones visible at the opening zoom, a shared link, and
 * the page again with the network cut after one visit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LayerId } from '../../client/src/map/ids';
import { loginAs, startTestServer, type TestServer } from '../helpers/server';
import { requires } from '../helpers/requirements';
import { freePort } from '../reliability/processes';
import {
  chromiumForTests,
  chromiumMissingReason,
  collectPageErrors,
  ensureClientBuilt,
  launchBrowser,
  newContext,
  renderedFeatures,
  saveScreenshot,
  waitForMapIdle,
  waitForRenderedFeature,
} from './helpers';

const chromiumPath = chromiumForTests();

const PHONE = { width: 390, height: 844 };

const square = (lon: number, lat: number, side: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]],
});

/** A compound in central 东昌府区 (about 200 m), inside a controlled zone; a precaution zone in 临清. */
const ZONES = [
  { kind: 'controlled', name: '东昌府区手机测试社区管控区', geometry: square(115.95, 36.42, 0.01) },
  { kind: 'sealed', name: '东昌府区手机测试小区封控区', geometry: square(115.953, 36.423, 0.002) },
  { kind: 'precaution', name: '临清市手机测试防范区', geometry: square(115.7, 36.83, 0.03) },
] as const;
const SEALED_CENTRE = { longitude: 115.954, latitude: 36.424 };

/** A phone-sized page (touch, Chinese, Shanghai time) that may read the device's position. */
async function openPhone(browser: Browser, base: string, path = '/'): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await newContext(browser, {
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    geolocation: SEALED_CENTRE,
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors = collectPageErrors(page);
  await page.goto(`${base}${path}`);
  return { context, page, errors };
}

/** True when the element lies wholly inside the phone's screen. */
async function onScreen(page: Page, testId: string): Promise<boolean> {
  const box = await page.getByTestId(testId).first().boundingBox();
  return Boolean(box && box.y >= 0 && box.x >= 0 && box.y + box.height <= PHONE.height && box.x + box.width <= PHONE.width);
}

describe('the public page on a phone in Chromium', requires(Boolean(chromiumPath), chromiumMissingReason()), () => {
  let server: TestServer;
  let browser: Browser;
  const ids: string[] = [];
  beforeAll(async () => {
    await ensureClientBuilt();
    const port = await freePort();
    server = await startTestServer('pglite', { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
    const designer = await loginAs(server.url, 'designer1');
    for (const zone of ZONES) {
      const created = await designer.post('/api/zones', {
        type: 'Feature',
        geometry: zone.geometry,
        properties: { kind: zone.kind, name: zone.name, reason: '浏览器测试：手机' },
      });
      if (created.status !== 201) throw new Error(`zone not created: ${created.status} ${created.text}`);
      ids.push(created.body.id);
    }
    const bulletin = await designer.post('/api/bulletins', { zoneIds: ids, title: '关于划定手机测试风险区域的通告' });
    if (bulletin.status !== 201) throw new Error(`bulletin not published: ${bulletin.status} ${bulletin.text}`);
    browser = await launchBrowser(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('answers with one tap on 使用我的位置: the card over the map names the sealed zone first, on screen', async () => {
    const { context, page, errors } = await openPhone(browser, server.url);
    // The first screen offers the two ways to ask.
    expect(await onScreen(page, 'lookup-my-location')).toBe(true);
    expect(await onScreen(page, 'public-search')).toBe(true);

    await page.getByTestId('lookup-my-location').tap();
    const first = page.getByTestId('lookup-zone').first();
    await expect.poll(() => first.innerText()).toContain(ZONES[1].name);
    expect(await first.innerText()).toContain('封控区');
    expect(await first.innerText()).toContain('足不出户');
    await expect.poll(() => onScreen(page, 'lookup-zone')).toBe(true);
    // Innermost first: the controlled zone around it comes second.
    expect(await page.getByTestId('lookup-zone').nth(1).innerText()).toContain(ZONES[0].name);
    // The hotline table of the whole county, no township guessed.
    await expect.poll(() => page.getByTestId('hotline-row').count()).toBe(16);
    expect(await page.locator('[data-testid="hotline-row"][data-chosen="true"]').count()).toBe(0);
    await waitForMapIdle(page);
    await saveScreenshot(page, 'phone-answer');

    expect(errors).toEqual([]);
    await context.close();
  });

  it('finds a township by name and marks its hotline', async () => {
    const { context, page, errors } = await openPhone(browser, server.url);
    await page.getByTestId('public-search').tap();
    await page.keyboard.type('古楼街道');
    const result = page.locator('[data-testid="search-result"][data-type="township"]').first();
    await expect.poll(() => result.innerText()).toContain('古楼街道');
    await saveScreenshot(page, 'phone-search');
    await result.tap();

    await expect.poll(() => page.getByTestId('answer-place').innerText()).toContain('古楼街道');
    await expect.poll(() => page.getByTestId('answer-county-scope').innerText()).toContain('古楼街道');
    const chosen = page.locator('[data-testid="hotline-row"][data-chosen="true"]');
    await expect.poll(() => chosen.innerText()).toContain('古楼街道办事处');
    await expect(chosen.locator('a[href^="tel:"]').first().getAttribute('href')).resolves.toBe('tel:06358426860');
    // The zones in force in its county are listed, the sealed one first.
    expect(await page.getByTestId('lookup-zone').first().innerText()).toContain(ZONES[1].name);
    expect(decodeURIComponent(page.url())).toContain('place=township:371502001');
    await waitForMapIdle(page);
    await saveScreenshot(page, 'phone-township');

    expect(errors).toEqual([]);
    await context.close();
  });

  it('draws its first row from index.html before the app has started, where the app then draws it, and on / only', async () => {
    // The app's own chunk held back: what the phone shows meanwhile is index.html's first screen.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const context = await newContext(browser, { viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    await context.route(/\/assets\/startApp-[^/]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const errors = collectPageErrors(page);
    const frame = page.locator('#first-screen [data-public-frame]');
    const box = async (selector: string) => page.locator(selector).boundingBox();

    // Module scripts run before DOMContentLoaded: the entry script has decided by then. A staff
    // page keeps the header alone.
    await page.goto(`${server.url}/login`, { waitUntil: 'domcontentloaded' });
    await expect(page.locator('#first-screen .app-header').isVisible()).resolves.toBe(true);
    expect(await frame.isVisible()).toBe(false);

    await page.goto(`${server.url}/`, { waitUntil: 'domcontentloaded' });
    await expect(frame.isVisible()).resolves.toBe(true);
    expect(await page.locator('#first-screen .public-search__locate').isDisabled()).toBe(true);
    expect(await page.locator('#first-screen .public-search__input').getAttribute('placeholder')).toBe('乡镇街道、小区、风险区、医院或坐标');
    expect(await page.locator('#app .public-search').count()).toBe(0);
    const early = { locate: await box('#first-screen .public-search__locate'), input: await box('#first-screen .public-search__input') };
    expect(early.locate).not.toBeNull();

    // The app draws the same row in the same place, and the first screen goes: one search box,
    // no id twice.
    release();
    await page.getByTestId('public-search').waitFor();
    await expect.poll(() => page.locator('#first-screen').count()).toBe(0);
    expect(await page.locator('.public-search__input').count()).toBe(1);
    expect(await page.getByTestId('lookup-my-location').isEnabled()).toBe(true);
    expect({ locate: await box('.public-search__locate'), input: await box('.public-search__input') }).toEqual(early);
    const ids = await page.locator('[id]').evaluateAll((elements) => elements.map((element) => element.id));
    expect(ids.length).toBe(new Set(ids).size);

    expect(errors).toEqual([]);
    await context.close();
  });

  it('makes no Intl formatter while it starts: the first one a page makes loads the locale and time-zone data in one long task', async () => {
    const context = await newContext(browser, { viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    // Counts every formatter made and every locale-aware call that makes one behind the scenes.
    await context.addInitScript(() => {
      const made: string[] = [];
      (globalThis as unknown as { intlMade: string[] }).intlMade = made;
      for (const name of ['DateTimeFormat', 'NumberFormat', 'Collator', 'PluralRules', 'RelativeTimeFormat', 'ListFormat', 'Segmenter'] as const) {
        const Original = Intl[name] as unknown as new (...args: unknown[]) => object;
        if (typeof Original !== 'function') continue;
        const Counted = function (this: unknown, ...args: unknown[]) {
          made.push(`Intl.${name}`);
          return new Original(...args);
        } as unknown as typeof Original;
        Object.setPrototypeOf(Counted, Original);
        Counted.prototype = Original.prototype;
        Object.defineProperty(Intl, name, { value: Counted, configurable: true, writable: true });
      }
      for (const [owner, method] of [[Date.prototype, 'toLocaleString'], [Date.prototype, 'toLocaleDateString'], [Date.prototype, 'toLocaleTimeString'], [Number.prototype, 'toLocaleString'], [String.prototype, 'localeCompare']] as const) {
        const original = (owner as unknown as Record<string, (...args: unknown[]) => unknown>)[method]!;
        Object.defineProperty(owner, method, {
          value: function (this: unknown, ...args: unknown[]) {
            made.push(method);
            return original.apply(this, args);
          },
          configurable: true,
          writable: true,
        });
      }
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const errors = collectPageErrors(page);
    await page.goto(`${server.url}/`);
    // Started and built: the app's own row in place of index.html's, today's zones on the overview
    // with the county names, and in the list with their dates.
    await expect.poll(() => page.locator('#first-screen').count()).toBe(0);
    await expect.poll(() => page.getByTestId('overview-marker').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('zone-list-item').count()).toBe(ZONES.length);
    await expect.poll(() => page.getByTestId('map-overview').locator('text').allTextContents()).toEqual(expect.arrayContaining(['东昌府区', '临清市']));
    expect(await page.evaluate(() => (globalThis as unknown as { intlMade: string[] }).intlMade)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows every zone in force as a marker at the opening zoom, first without MapLibre, then on the map it opens', async () => {
    const { context, page, errors } = await openPhone(browser, server.url);
    // The opening view is drawn without the map's 290 KB engine: every zone as a marker (or in a
    // cluster's count), the county names, no facility ring.
    const overviewMarkers = page.getByTestId('overview-marker');
    const overviewCount = async () => {
      const counts = await overviewMarkers.evaluateAll((markers) => markers.map((m) => Number(m.getAttribute('data-count'))));
      return counts.reduce((sum, count) => sum + count, 0);
    };
    await expect.poll(overviewCount).toBe(ZONES.length);
    for (const box of await overviewMarkers.evaluateAll((markers) => markers.map((m) => { const r = m.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; }))) {
      expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= PHONE.width && box.y + box.height <= PHONE.height).toBe(true);
    }
    await expect.poll(() => page.getByTestId('map-overview').locator('text').allTextContents()).toEqual(expect.arrayContaining(['东昌府区', '临清市']));
    // Today's zones were preloaded with the page (the service's Link header), and that one request
    // is the one the page used.
    const zoneRequests = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((entry) => new URL(entry.name).pathname === '/api/public/zones')
        .map((entry) => (entry as unknown as { initiatorType: string }).initiatorType),
    );
    expect(zoneRequests).toEqual(['link']);
    const loadedMapLibre = () => page.evaluate(() => performance.getEntriesByType('resource').some((entry) => /maplibre/.test(entry.name)));
    expect(await loadedMapLibre()).toBe(false);
    expect(await page.evaluate(() => Boolean((globalThis as { riskZoneMap?: unknown }).riskZoneMap))).toBe(false);
    await saveScreenshot(page, 'phone-overview');

    // A tap on an empty part of the overview opens the zoomable map, which shows the same.
    await page.getByTestId('overview-open').tap({ position: { x: 20, y: PHONE.height / 2 } });
    await waitForMapIdle(page);
    expect(await loadedMapLibre()).toBe(true);
    const shown = async () => {
      const markers = await renderedFeatures(page, LayerId.zoneMarker);
      const clusters = await renderedFeatures(page, LayerId.zoneCluster);
      return markers.length + clusters.reduce((sum, cluster) => sum + Number(cluster.properties.point_count), 0);
    };
    await expect.poll(shown).toBe(ZONES.length);
    expect(await renderedFeatures(page, LayerId.facilityCircle)).toEqual([]);
    expect(await renderedFeatures(page, LayerId.facilityApproximate)).toEqual([]);
    await expect.poll(async () => (await renderedFeatures(page, LayerId.regionLabel)).length).toBeGreaterThan(0);
    // Once the map has drawn, the overview is gone.
    await expect.poll(() => page.getByTestId('map-overview').count()).toBe(0);
    await saveScreenshot(page, 'phone-opening');

    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens the map onto the zones of a cluster tapped on the overview', async () => {
    const { context, page, errors } = await openPhone(browser, server.url);
    // The three zones of 东昌府区 and 临清 make two markers: tap the one of 东昌府区's two zones.
    const cluster = page.locator('[data-testid="overview-marker"][data-count="2"]');
    await expect.poll(() => cluster.count()).toBe(1);
    const box = (await cluster.boundingBox())!;
    const surface = (await page.getByTestId('overview-open').boundingBox())!;
    await page.getByTestId('overview-open').tap({ position: { x: box.x - surface.x + box.width / 2, y: box.y - surface.y + box.height / 2 } });
    await waitForMapIdle(page);
    // The camera frames both zones, now drawn as shapes.
    const drawn = async () => [...new Set((await renderedFeatures(page, LayerId.zoneFill)).map((f) => String(f.properties.name)))].sort();
    await expect.poll(drawn).toEqual([ZONES[0].name, ZONES[1].name].sort());
    expect(errors).toEqual([]);
    await context.close();
  });

  it('restores the place, the selected zone and the day from a shared link', async () => {
    const sealedId = ids[1]!;
    const { context, page, errors } = await openPhone(browser, server.url, `/?place=115.954000,36.424000&zone=${sealedId}`);
    await expect.poll(() => page.getByTestId('lookup-zone').first().innerText()).toContain(ZONES[1].name);
    // The camera shows the selected zone whole, drawn as a shape (not a marker).
    await expect(waitForRenderedFeature(page, LayerId.zoneFill, 'id', sealedId)).resolves.toMatchObject({ kind: 'sealed' });
    await saveScreenshot(page, 'phone-shared-link');
    await context.close();

    const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const again = await openPhone(browser, server.url, `/?asOf=${yesterday}`);
    await again.page.getByTestId('tab-history').tap();
    await expect.poll(() => again.page.getByTestId('as-of-date').inputValue()).toBe(yesterday);
    // The zones were published today: the map of yesterday has none.
    await expect.poll(() => again.page.getByTestId('zone-count').innerText()).toBe('0');
    expect([...errors, ...again.errors]).toEqual([]);
    await again.context.close();
  });

  it('still shows the last published map and the last answer with the network cut, and says when they were fetched', async () => {
    const { context, page, errors } = await openPhone(browser, server.url);
    await page.getByTestId('lookup-my-location').tap();
    await expect.poll(() => page.getByTestId('lookup-zone').first().innerText()).toContain(ZONES[1].name);
    await waitForMapIdle(page);
    await page.locator('html[data-offline-ready="true"]').waitFor();

    await context.setOffline(true);
    await page.reload();
    await expect.poll(() => page.getByTestId('offline-banner').innerText()).toContain('获取');
    await expect.poll(() => page.getByTestId('zone-count').innerText()).toBe(String(ZONES.length));
    await waitForMapIdle(page);
    await expect.poll(async () => (await renderedFeatures(page, LayerId.zoneFill)).length).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('answer-kept').innerText()).toContain('查询');
    expect(await page.getByTestId('lookup-zone').first().innerText()).toContain(ZONES[1].name);
    await saveScreenshot(page, 'phone-offline');

    // Without a network the browser reports each request it could not make; nothing else may fail.
    expect(errors.filter((error) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|NetworkError/.test(error))).toEqual([]);
    await context.close();
  });
});
