import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { LayerId } from '../../client/src/map/ids';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';
import {
  chromiumForTests, chromiumMissingReason,
  ensureClientBuilt,
  launchBrowser,
  openPage,
  renderedFeatures,
  saveScreenshot,
  screenPoint,
  waitForMapIdle,
  waitForRenderedFeature,
} from './helpers';
import { requires } from '../helpers/requirements';
import { freePort } from '../reliability/processes';

const chromiumPath = chromiumForTests();

/** A square in central 东昌府区 (lon/lat of its south-west corner, side in degrees). */
const square = (lon: number, lat: number, side: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]],
});

const CONTROLLED = { name: '东昌府区测试社区管控区', geometry: square(115.95, 36.42, 0.01) };
const SEALED = { name: '东昌府区测试社区3号楼封控区', geometry: square(115.953, 36.423, 0.002) };
/** The middle of the sealed zone, which lies inside the controlled zone. */
const SEALED_CENTRE: [number, number] = [115.954, 36.424];

/** What a public visitor is told to do in each zone (seed 001, DOMAIN.md). */
const SEALED_MEASURES = '区域封闭、足不出户、服务上门';
const CONTROLLED_MEASURES = '人不出区、严禁聚集';

interface PublishedZones {
  controlledId: string;
  sealedId: string;
}

/** Creates the two zones through the API and publishes them as one bulletin. */
async function publishZones(base: string): Promise<PublishedZones> {
  const designer = await loginAs(base, 'designer1');
  const ids: string[] = [];
  for (const [kind, zone] of [['controlled', CONTROLLED], ['sealed', SEALED]] as const) {
    const created = await designer.post('/api/zones', {
      type: 'Feature',
      geometry: zone.geometry,
      properties: { kind, name: zone.name, reason: '浏览器测试：公众地图' },
    });
    if (created.status !== 201) throw new Error(`zone not created: ${created.status} ${created.text}`);
    ids.push(created.body.id);
  }
  const bulletin = await designer.post('/api/bulletins', { zoneIds: ids, title: '关于划定测试社区风险区域的通告' });
  if (bulletin.status !== 201) throw new Error(`bulletin not published: ${bulletin.status} ${bulletin.text}`);
  return { controlledId: ids[0], sealedId: ids[1] };
}

/** Opens the public map and waits until its zones are listed and the map has settled. */
async function openPublicMap(browser: Browser, base: string): Promise<{ page: Page; errors: string[] }> {
  const opened = await openPage(browser);
  await opened.page.goto(`${base}/`);
  await expect.poll(() => opened.page.getByTestId('zone-count').innerText()).toBe('2');
  await waitForMapIdle(opened.page);
  return opened;
}

/** The digits a tel: link dials for the first number of a phone field. */
const dialOf = (phone: string) => `tel:${phone.split(/[/、,，;；\s]+/)[0].replace(/[^\d+]/g, '')}`;

describe('public risk map in Chromium', requires(Boolean(chromiumPath), chromiumMissingReason()), () => {
  let server: TestServer;
  let browser: Browser;
  let zones: PublishedZones;
  beforeAll(async () => {
    await ensureClientBuilt();
    // Absolute links (the TileJSON's tile URLs) are built from PUBLIC_URL: the server is started on
    // a port chosen first, so they point at it.
    const port = await freePort();
    server = await startTestServer('pglite', { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
    zones = await publishZones(server.url);
    browser = await launchBrowser(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the zones in force and draws both on the map once one is chosen with the keyboard', async () => {
    const { page, errors } = await openPublicMap(browser, server.url);
    const items = page.getByTestId('zone-list-item');
    // Sealed zones come first in the list.
    await expect(items.nth(0).innerText()).resolves.toContain(SEALED.name);
    await expect(items.nth(1).innerText()).resolves.toContain(CONTROLLED.name);
    await expect(items.nth(1).innerText()).resolves.toContain(CONTROLLED_MEASURES);

    await items.nth(0).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(items.nth(1).getAttribute('aria-pressed')).resolves.toBe('true');

    // The camera fits the controlled zone; MapLibre then draws both zones there.
    await expect(waitForRenderedFeature(page, LayerId.zoneFill, 'id', zones.controlledId)).resolves.toMatchObject({
      kind: 'controlled',
      name: CONTROLLED.name,
    });
    await expect(waitForRenderedFeature(page, LayerId.zoneFill, 'id', zones.sealedId)).resolves.toMatchObject({
      kind: 'sealed',
      name: SEALED.name,
    });
    await waitForMapIdle(page);
    await saveScreenshot(page, 'public-zones');

    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('answers "am I in a zone?" for a tap on the sealed zone with every zone there, hospitals to call and the county\'s hotlines', async () => {
    const { page, errors } = await openPublicMap(browser, server.url);
    await page.getByTestId('zone-list-item').filter({ hasText: SEALED.name }).click();
    await waitForRenderedFeature(page, LayerId.zoneFill, 'id', zones.sealedId);
    await waitForMapIdle(page);

    const inside = await screenPoint(page, SEALED_CENTRE);
    await page.mouse.click(inside.x, inside.y);
    const answered = page.getByTestId('lookup-zone');
    await expect.poll(() => answered.count()).toBe(2);
    // Innermost first: the sealed zone, then the controlled zone around it, each with its measures.
    expect(await answered.nth(0).innerText()).toContain(SEALED.name);
    expect(await answered.nth(0).innerText()).toContain(SEALED_MEASURES);
    expect(await answered.nth(1).innerText()).toContain(CONTROLLED.name);
    expect(await answered.nth(1).innerText()).toContain(CONTROLLED_MEASURES);
    // The zone and the place are in the URL, so the view can be shared.
    const url = new URL(page.url());
    expect(url.searchParams.get('zone')).toBe(zones.sealedId);
    const [lon, lat] = url.searchParams.get('place')!.split(',');

    // The card shows what the service answers for that place: its hospitals and the hotline table.
    const answer = (await new Client(server.url).get(`/api/public/lookup?lon=${lon}&lat=${lat}`)).body;
    expect(answer.zones.map((zone: { id: string }) => zone.id)).toEqual([zones.sealedId, zones.controlledId]);
    const hospitals = page.getByTestId('lookup-hospital');
    await expect(hospitals.count()).resolves.toBe(answer.hospitals.length);
    for (const [index, hospital] of answer.hospitals.entries()) {
      const item = hospitals.nth(index);
      await expect(item.innerText()).resolves.toContain(hospital.name);
      if (hospital.phone) await expect(item.locator('a[href^="tel:"]').first().getAttribute('href')).resolves.toBe(dialOf(hospital.phone));
    }
    const rows = page.getByTestId('hotline-row');
    await expect(rows.count()).resolves.toBe(answer.hotlines.rows.length);
    await expect(rows.first().locator('a[href^="tel:"]').first().getAttribute('href')).resolves.toBe(dialOf(answer.hotlines.rows[0].phones[0]));
    await saveScreenshot(page, 'public-lookup-click');

    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('answers typed coordinates, latitude first too, marks the place on the map, and answers a place outside the city with that alone', async () => {
    const { page, errors } = await openPublicMap(browser, server.url);
    const search = page.getByTestId('public-search');
    await search.click();
    await page.keyboard.type(`${SEALED_CENTRE[1]}, ${SEALED_CENTRE[0]}`);
    const first = page.getByTestId('search-result').first();
    await expect.poll(() => first.innerText()).toContain('WGS84');
    await page.keyboard.press('Enter');

    await expect.poll(() => page.getByTestId('lookup-zone').first().innerText()).toContain(SEALED.name);
    // The map flies to the typed place and draws a marker there.
    await expect.poll(async () => (await renderedFeatures(page, LayerId.pickedPoint)).length, { timeout: 20_000 }).toBe(1);
    await waitForMapIdle(page);
    await saveScreenshot(page, 'public-lookup-typed');

    // Beijing: outside the service area, said once, and the old answer is gone.
    await search.fill('116.4, 39.9');
    await expect.poll(() => first.innerText()).toContain('116.4');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('lookup-outside').count()).toBe(1);
    expect(await page.getByTestId('lookup-no-zone').count()).toBe(0);
    expect(await page.getByTestId('lookup-zone').count()).toBe(0);

    expect(errors).toEqual([]);
    await page.context().close();
  });
  it('steps the date control by day with the keyboard, from the first publication, and keeps the day in the URL', async () => {
    const { page, errors } = await openPublicMap(browser, server.url);
    await page.getByTestId('tab-history').click();
    const today = await page.getByTestId('as-of-date').inputValue();
    // The record starts with the fixture's publications, all of one moment, and that one day is
    // marked on the track (the marks come with the record's list, which the tab loads as it opens).
    // It is today, unless Asia/Shanghai's midnight fell since the fixture published: then the
    // track starts on yesterday, the publication's day.
    const first = (await (await fetch(`${server.url}/api/public/publications/1`)).json()) as { publishedOn: string };
    const yesterday = new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const publishedToday = first.publishedOn === today;
    if (!publishedToday) expect(first.publishedOn).toBe(yesterday);
    await expect.poll(() => page.locator('#as-of-publications option').count()).toBe(1);
    await page.getByTestId('as-of-range').focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => new URL(page.url()).searchParams.get('asOf')).toBe(yesterday);
    await expect.poll(() => page.getByTestId('zone-count').innerText()).toBe(publishedToday ? '0' : '2');
    // 下一次发布 brings back today's map, and the URL forgets the day (one day on, if yesterday
    // was the publication's day and so the last one marked).
    await page.getByTestId(publishedToday ? 'as-of-next-publication' : 'as-of-next-day').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('asOf')).toBeNull();
    await expect.poll(() => page.getByTestId('zone-count').innerText()).toBe('2');

    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('loads the zones TileJSON in MapLibre and draws the published zones from its tiles', async () => {
    const { page, errors } = await openPublicMap(browser, server.url);
    await page.getByTestId('zone-list-item').nth(0).click();
    await waitForMapIdle(page);
    await page.evaluate(() => {
      const map = (globalThis as unknown as { riskZoneMap: { addSource(id: string, s: unknown): void; addLayer(l: unknown): void } }).riskZoneMap;
      map.addSource('tilejson-check', { type: 'vector', url: `${(globalThis as unknown as { location: { origin: string } }).location.origin}/tiles/zones.json` });
      map.addLayer({ id: 'tilejson-check', type: 'fill', source: 'tilejson-check', 'source-layer': 'zones', paint: { 'fill-opacity': 0.01 } });
    });
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const map = (globalThis as unknown as { riskZoneMap: { querySourceFeatures(id: string, o: unknown): { properties: Record<string, unknown> }[] } }).riskZoneMap;
            return [...new Set(map.querySourceFeatures('tilejson-check', { sourceLayer: 'zones' }).map((f) => String(f.properties.id)))].sort();
          }),
        { timeout: 20_000 },
      )
      .toEqual(expect.arrayContaining([zones.sealedId]));
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
