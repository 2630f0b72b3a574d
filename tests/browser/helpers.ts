/**
 * Shared pieces of the browser tests: finding Chromium (skip on a bare machine, fail under CI),
 * building the client once before any server starts, launching the browser, collecting console
 * and page errors, and reading what MapLibre actually drew through the client's debug handle
 * (`window.riskZoneMap`, set by client/src/map/useMap.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLIENT_DIR = path.join(ROOT, 'client');
const CLIENT_INDEX = path.join(CLIENT_DIR, 'dist', 'index.html');
/** Held (as a directory: mkdir is atomic) by the one test file that is building the client. */
const BUILD_LOCK = path.join(ROOT, '.data-test', 'client-build.lock');
/** A lock older than this belongs to a build that died; the next file takes it over. */
const STALE_LOCK_MS = 10 * 60_000;
const BUILD_WAIT_MS = 5 * 60_000;

/** Where Debian puts Chromium; CHROMIUM_PATH overrides it. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** Where the screenshots of each workspace go (git-ignored), for people to look at. */
export const SCREENSHOT_DIR = path.join(ROOT, 'tests', 'screenshots');

/** The account password every test account shares (tests/helpers/backends.ts). */
export { TEST_PASSWORD } from '../helpers/backends';

/**
 * The Chromium the browser tests drive, or null when there is none: the tests are then skipped
 * with a warning, except under CI, where a missing browser fails the run.
 */
export function chromiumForTests(): string | null {
  const candidate = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH;
  if (fs.existsSync(candidate)) return candidate;
  const reason = chromiumMissingReason();
  if (process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0') {
    throw new Error(`${reason}: the browser tests cannot run, and CI must run them`);
  }
  console.warn(`${reason}: browser tests skipped`);
  return null;
}

/** Why the browser tests are skipped on this machine. */
export function chromiumMissingReason(): string {
  return `needs Chromium at ${process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
}

/**
 * Launches headless Chromium. No GPU on the test machines: WebGL runs on the software
 * rasteriser, and nothing reaches for the network besides the test server.
 *
 * CI runs the suites a second time with every clock moved by libfaketime into 16:00-24:00 UTC
 * (already tomorrow in Shanghai). Chromium cannot load a page with libfaketime preloaded, so it
 * starts without it, and `newContext` gives its pages the tests' time instead: the page, the test
 * and the server then agree on what day it is.
 */
export async function launchBrowser(executablePath: string): Promise<Browser> {
  const env = withoutFaketime(process.env);
  const browser = await chromium.launch({
    executablePath,
    env,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // Only a browser started without the tests' libfaketime can run on another clock.
  if (env.LD_PRELOAD !== process.env.LD_PRELOAD) {
    const probe = await browser.newPage();
    clockOffsets.set(browser, Date.now() - (await probe.evaluate(() => Date.now())));
    await probe.close();
  }
  return browser;
}

/** How far the tests' clock runs from the browser's: 0 but when the tests run under libfaketime. */
const clockOffsets = new WeakMap<Browser, number>();
/** More than a round trip and a scheduling hiccup, less than any shift that moves a day. */
const CLOCK_TOLERANCE_MS = 60_000;

function withoutFaketime(env: NodeJS.ProcessEnv): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || name.startsWith('FAKETIME') || name === 'DONT_FAKE_MONOTONIC') continue;
    kept[name] = value;
  }
  const preload = (env.LD_PRELOAD ?? '').split(/[: ]/).filter((lib) => lib && !lib.includes('faketime'));
  if (preload.length > 0) kept.LD_PRELOAD = preload.join(':');
  else delete kept.LD_PRELOAD;
  return kept;
}

/**
 * A browser context whose pages share the tests' clock. Every browser test opens its pages here,
 * never with `browser.newContext` directly. Under libfaketime its pages' `Date` is moved by the
 * same offset as the tests' clock. Only `Date`: Playwright's clock would also replace the timers
 * and `performance`, whose resource entries and real timing some tests read.
 */
export async function newContext(browser: Browser, options: BrowserContextOptions): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  const offset = clockOffsets.get(browser) ?? 0;
  if (Math.abs(offset) > CLOCK_TOLERANCE_MS) {
    await context.addInitScript((shift: number) => {
      const RealDate = Date;
      class ShiftedDate extends RealDate {
        constructor(...args: ConstructorParameters<typeof Date> | []) {
          if (args.length === 0) super(RealDate.now() + shift);
          else super(...(args as ConstructorParameters<typeof Date>));
        }
        static override now(): number {
          return RealDate.now() + shift;
        }
      }
      (globalThis as { Date: DateConstructor }).Date = ShiftedDate as DateConstructor;
    }, offset);
  }
  return context;
}

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

/** True when client/dist is missing or older than anything it is built from. */
function clientBuildIsStale(): boolean {
  if (!fs.existsSync(CLIENT_INDEX)) return true;
  const built = fs.statSync(CLIENT_INDEX).mtimeMs;
  const sources = [path.join(CLIENT_DIR, 'src'), path.join(CLIENT_DIR, 'index.html'), path.join(CLIENT_DIR, 'vite.config.ts')];
  return sources.some((source) => fs.existsSync(source) && newestMtime(source) > built);
}

function tryLock(): boolean {
  fs.mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  try {
    fs.mkdirSync(BUILD_LOCK);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const held = fs.statSync(BUILD_LOCK, { throwIfNoEntry: false });
    if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
    return false;
  }
}

/**
 * Builds client/dist when it is missing or stale. Test files run in parallel workers, so the
 * build takes a lock and the others wait for it, then see a fresh build and skip theirs. Must run
 * before the test server starts: the server serves client/dist only if it existed then.
 */
export async function ensureClientBuilt(): Promise<void> {
  const deadline = Date.now() + BUILD_WAIT_MS;
  while (clientBuildIsStale()) {
    if (tryLock()) {
      try {
        if (!clientBuildIsStale()) return;
        const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
        console.info('client/dist is missing or older than client/src: building the client for the browser tests');
        // vitest sets NODE_ENV=test, which Vite would hand on to Vue: a non-production build.
        await promisify(execFile)(process.execPath, [vite, 'build', '--config', 'client/vite.config.ts'], {
          cwd: ROOT,
          env: { ...process.env, NODE_ENV: 'production' },
          maxBuffer: 16 * 1024 * 1024,
        }).catch((error: Error & { stdout?: string; stderr?: string }) => {
          throw new Error(`client build failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
        });
        return;
      } finally {
        fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
      }
    }
    if (Date.now() > deadline) throw new Error(`waited ${BUILD_WAIT_MS / 1000} s for another test file to build the client`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Collects every console error and uncaught page error of `page`; a test asserts the list is
 * empty at its end (terra-draw's e2e suite fails on any console error the same way).
 */
export function collectPageErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location();
    problems.push(`console error: ${message.text()}${where.url ? ` (${where.url}:${where.lineNumber})` : ''}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

/** A browser page of 1280×800 with its error log. */
export async function openPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const context = await newContext(browser, { viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { page, errors: collectPageErrors(page) };
}

/** Saves a screenshot under tests/screenshots/ (git-ignored). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** Logs in through the login page with the real keyboard: type, Tab, type, Enter. */
export async function logInThroughPage(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').click();
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
}

/**
 * The slice of MapLibre's Map the tests call through `window.riskZoneMap`. Declared here because
 * the tests are type-checked without the DOM library the client's types need.
 */
interface DebugMap {
  loaded(): boolean;
  isMoving(): boolean;
  getZoom(): number;
  getLayer(id: string): unknown;
  project(lngLat: [number, number]): { x: number; y: number };
  queryRenderedFeatures(options: { layers: string[] }): { id?: string | number; properties: Record<string, unknown> }[];
  getCanvas(): { getBoundingClientRect(): { left: number; top: number; width: number; height: number } };
}
type DebugWindow = { riskZoneMap?: DebugMap };

/**
 * Waits until the page's map exists, has its style and tiles, and has stood still for a moment
 * (a wheel or a fly-to starts a frame or two after the event that caused it).
 */
export async function waitForMapIdle(page: Page, timeout = 20_000): Promise<void> {
  await page.evaluate(() => {
    (globalThis as { riskZoneMapStillSince?: number }).riskZoneMapStillSince = undefined;
  });
  await page.waitForFunction(
    () => {
      const state = globalThis as unknown as DebugWindow & { riskZoneMapStillSince?: number };
      const map = state.riskZoneMap;
      if (!map || !map.loaded() || map.isMoving()) {
        state.riskZoneMapStillSince = undefined;
        return false;
      }
      state.riskZoneMapStillSince ??= performance.now();
      return performance.now() - state.riskZoneMapStillSince >= 250;
    },
    undefined,
    { timeout, polling: 50 },
  );
}

/** The features MapLibre has drawn on `layer` in the current view (id and properties). */
export function renderedFeatures(page: Page, layer: string): Promise<{ id?: string | number; properties: Record<string, unknown> }[]> {
  return page.evaluate((layerId) => {
    const map = (globalThis as unknown as DebugWindow).riskZoneMap;
    if (!map || !map.getLayer(layerId)) return [];
    return map.queryRenderedFeatures({ layers: [layerId] }).map((feature) => ({ id: feature.id, properties: feature.properties }));
  }, layer);
}

/**
 * Waits until `layer` draws a feature whose property `key` equals `value` (bounded, polled), and
 * returns that feature's properties.
 */
export async function waitForRenderedFeature(
  page: Page,
  layer: string,
  key: string,
  value: string | number,
  timeout = 20_000,
): Promise<Record<string, unknown>> {
  const handle = await page.waitForFunction(
    ({ layerId, key, value }) => {
      const map = (globalThis as unknown as DebugWindow).riskZoneMap;
      if (!map || !map.getLayer(layerId) || map.isMoving()) return null;
      const found = map.queryRenderedFeatures({ layers: [layerId] }).find((feature) => feature.properties[key] === value);
      return found ? found.properties : null;
    },
    { layerId: layer, key, value },
    { timeout, polling: 100 },
  );
  return (await handle.jsonValue()) as Record<string, unknown>;
}

/** Where a longitude/latitude is on the page now, in CSS pixels (for mouse clicks). */
export function screenPoint(page: Page, lngLat: [number, number]): Promise<{ x: number; y: number }> {
  return page.evaluate((at) => {
    const map = (globalThis as unknown as DebugWindow).riskZoneMap;
    if (!map) throw new Error('no map on the page');
    const point = map.project(at);
    const box = map.getCanvas().getBoundingClientRect();
    return { x: box.left + point.x, y: box.top + point.y };
  }, lngLat);
}

/** The map's zoom level now. */
export function mapZoom(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as DebugWindow).riskZoneMap?.getZoom() ?? NaN);
}

/**
 * Zooms the map in around `lngLat` with the mouse wheel, as a person would, until it reaches
 * `zoom`; the place stays under the pointer. The wheel turns come in quick bursts so the map
 * draws the intermediate zoom levels only once per burst (software WebGL is slow).
 */
export async function wheelZoomTo(page: Page, lngLat: [number, number], zoom: number): Promise<void> {
  for (let burst = 0; burst < 10 && (await mapZoom(page)) < zoom; burst++) {
    const at = await screenPoint(page, lngLat);
    await page.mouse.move(at.x, at.y);
    const turns = Math.ceil((zoom - (await mapZoom(page))) * 2);
    for (let turn = 0; turn < turns; turn++) await page.mouse.wheel(0, -240);
    await waitForMapIdle(page);
  }
  if ((await mapZoom(page)) < zoom) throw new Error(`the map did not zoom in to ${zoom}`);
  // Wheel turns pile up when the page is slow, and the map can end far past the zoom asked for
  // (a 50 m view where the test means to click a block's corners): the camera is then set back.
  if ((await mapZoom(page)) > zoom + 1) {
    await page.evaluate(
      ({ center, target }) => (globalThis as unknown as { riskZoneMap?: { jumpTo(o: { center: [number, number]; zoom: number }): void } }).riskZoneMap?.jumpTo({ center, zoom: target }),
      { center: lngLat, target: zoom },
    );
    await waitForMapIdle(page);
  }
}
