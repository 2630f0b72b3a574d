/**
 * The record spoken in the standards, over HTTP: every publication is also a CAP 1.2 alert (Alert
 * when zones are first designated, Update when they change, Cancel when the last of them is lifted,
 * each referencing the earlier alerts of its zones), listed in an Atom index as Google Public Alerts
 * reads it, and the publications are Atom feeds for people, for the city and for each county.
 *
 * One history is published in `beforeAll` (with the service's clock moved day by day); each test
 * reads what it left. Every alert is validated against the OASIS schema with xmllint.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { Client, loginAs, startTestServer, type TestServer } from '../helpers/server';
import { fakeClock, realClock, travelTo } from '../helpers/clock';
import { inCi, requires } from '../helpers/requirements';
import { MEASURES } from '../../server/src/expiry/measures';

const CAP_SCHEMA = path.resolve(import.meta.dirname, '../../server/src/alerts/schema/CAP-v1.2.xsd');
const hasXmllint = spawnSync('xmllint', ['--version'], { stdio: 'ignore' }).status === 0;
// In CI a missing xmllint is a failure (.ci/run installs it), elsewhere a skip with its reason.
const needsXmllint = requires(hasXmllint || inCi, 'needs xmllint to validate against the CAP 1.2 schema: apt-get install libxml2-utils');

/** Runs xmllint on a document; returns its exit status and what it printed. */
function xmllint(args: string[], xml: string): { status: number | null; output: string } {
  const r = spawnSync('xmllint', [...args, '-'], { input: xml, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const unescapeXml = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#13;/g, '\r').replace(/&amp;/g, '&');
/** The texts of every `<tag>` element (our own documents: no nesting of the same tag). */
const texts = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}(?: [^>]*)?>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => unescapeXml(m[1]));
const text = (xml: string, tag: string) => texts(xml, tag)[0];
const blocks = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}>[\\s\\S]*?</${tag}>`, 'g'))].map((m) => m[0]);
/** The zone id an info block speaks for (its `zoneId` parameter). */
const zoneOf = (info: string) => /<valueName>zoneId<\/valueName><value>([^<]+)<\/value>/.exec(info)?.[1];

/** Twice the signed area of a ring of [lon, lat] (positive: counter-clockwise). */
const signedArea = (ring: number[][]) => ring.slice(0, -1).reduce((sum, [x1, y1], i) => sum + x1 * ring[i + 1][1] - ring[i + 1][0] * y1, 0);

const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]],
});
/** A 0.01° square with a 0.002° hole in its middle (RFC 7946 winding: the hole clockwise). */
const squareWithHole = (lon: number, lat: number) => ({
  type: 'Polygon',
  coordinates: [
    [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]],
    [[lon + 0.004, lat + 0.004], [lon + 0.004, lat + 0.006], [lon + 0.006, lat + 0.006], [lon + 0.006, lat + 0.004], [lon + 0.004, lat + 0.004]],
  ],
});
const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });

interface History {
  zones: { a: string; b: string; c: string };
  counties: { a: string; b: string; c: string };
  /** The publication numbers of each step. */
  n: { designateA: number; caseInA: number; designateBC: number; liftA: number; caseInB: number; liftB: number; liftC: number };
  /** Every alert by publication number, as served. */
  alerts: Map<number, { text: string; headers: Headers; status: number }>;
  capIndex: { text: string; headers: Headers; status: number };
  feed: { text: string; headers: Headers; status: number };
  countyFeeds: Record<'a' | 'b' | 'c', string>;
}

describe.each(backends())('CAP alerts and Atom feeds on %s', (backend) => {
  let server: TestServer | null = null;
  let history: History;

  beforeAll(async () => {
    fakeClock();
    travelTo('2022-11-10');
    server = await startTestServer(backend, { LOGIN_RATE_LIMIT_PER_15MIN: '1000' });
    const s = server;
    const anon = new Client(s.url);
    let designer = await loginAs(s.url, 'designer1');
    const travel = async (day: string) => {
      travelTo(day);
      designer = await loginAs(s.url, 'designer1');
    };
    const zone = async (props: Record<string, unknown>, geometry: unknown) => {
      const r = await designer.post('/api/zones', { type: 'Feature', geometry, properties: props });
      expect(r.status, r.text).toBe(201);
      return r.body.id as string;
    };
    const countyOf = async (id: string) => (await designer.get(`/api/zones/${id}`)).body.properties.countyCode as string;
    const only = (publications: { number: number; kind: string }[], kind: string) => {
      expect(publications.map((p) => p.kind)).toEqual([kind]);
      return publications[0].number;
    };
    const publish = async (zoneIds: string[]) => {
      const r = await designer.post('/api/bulletins', { zoneIds, title: '关于划定风险区域的通告' });
      expect(r.status, r.text).toBe(201);
      return only(r.body.publications, 'bulletin');
    };
    const caseAt = async (location: unknown) => {
      const r = await designer.post('/api/cases', { location });
      expect(r.status, r.text).toBe(201);
      return only(r.body.publications, 'update');
    };
    const lift = async (id: string) => {
      const r = await designer.post(`/api/zones/${id}/lift`, { reason: '经研判提前解除' });
      expect(r.status, r.text).toBe(200);
      return only(r.body.publications, 'hand_lift');
    };

    // A (茌平区, with a hole) alone; B (东昌府区) and C (莘县) together.
    const a = await zone({ kind: 'sealed', name: '甲小区 <东区> & 西区', edition: 'twenty-measures' }, squareWithHole(116.1, 36.6));
    const b = await zone({ kind: 'sealed', name: '乙小区', edition: 'twenty-measures' }, square(115.9, 36.4, 0.004));
    const c = await zone({ kind: 'controlled', name: '丙村' }, square(115.6, 36.2, 0.006));
    const designateA = await publish([a]);
    await travel('2022-11-12');
    const caseInA = await caseAt(point(116.102, 36.602));
    const designateBC = await publish([b, c]);
    await travel('2022-11-13');
    const liftA = await lift(a);
    const caseInB = await caseAt(point(115.902, 36.402));
    const liftB = await lift(b);
    const liftC = await lift(c);

    const alerts = new Map<number, { text: string; headers: Headers; status: number }>();
    const published = (await anon.get('/api/public/publications')).body as { number: number }[];
    for (const { number } of published) alerts.set(number, await anon.get(`/cap/${number}.xml`));
    const counties = { a: await countyOf(a), b: await countyOf(b), c: await countyOf(c) };
    const countyFeeds = {} as Record<'a' | 'b' | 'c', string>;
    for (const k of ['a', 'b', 'c'] as const) {
      const r = await anon.get(`/feed/${counties[k]}.atom`);
      expect(r.status, r.text).toBe(200);
      countyFeeds[k] = r.text;
    }
    history = {
      zones: { a, b, c },
      counties,
      n: { designateA, caseInA, designateBC, liftA, caseInB, liftB, liftC },
      alerts,
      capIndex: await anon.get('/cap/feed.atom'),
      feed: await anon.get('/feed.atom'),
      countyFeeds,
    };
  });

  afterAll(async () => {
    await server?.close();
    server = null;
    realClock();
  });

  const alert = (n: number) => {
    const served = history.alerts.get(n);
    expect(served?.status, served?.text).toBe(200);
    return served!.text;
  };
  /** The `references` of an alert, as [identifier, sent] pairs, after checking the sender of each. */
  const referencesOf = (xml: string) => {
    const refs = text(xml, 'references');
    if (refs === undefined) return [];
    return refs.split(' ').map((ref) => {
      const [sender, identifier, sent, ...rest] = ref.split(',');
      expect(rest).toEqual([]);
      expect(sender).toBe(text(xml, 'sender'));
      return [identifier, sent];
    });
  };
  /** What a reference to alert n must say: its identifier and its own `sent`. */
  const referenceTo = (n: number) => [text(alert(n), 'identifier'), text(alert(n), 'sent')];

  it('makes the first designation an Alert, the change an Update and the lift a Cancel, each referencing the earlier alerts of its zone', () => {
    const { n } = history;
    expect(text(alert(n.designateA), 'msgType')).toBe('Alert');
    expect(text(alert(n.designateA), 'references')).toBeUndefined();
    expect(text(alert(n.caseInA), 'msgType')).toBe('Update');
    expect(referencesOf(alert(n.caseInA))).toEqual([referenceTo(n.designateA)]);
    expect(text(alert(n.liftA), 'msgType')).toBe('Cancel');
    expect(referencesOf(alert(n.liftA))).toEqual([referenceTo(n.designateA), referenceTo(n.caseInA)]);
    // Identifiers are stable and unique; sent is the publication's time in Asia/Shanghai.
    expect(text(alert(n.designateA), 'identifier')).toBe(`liaocheng-risk-zones-${n.designateA}`);
    expect(text(alert(n.designateA), 'sent')).toMatch(/^2022-11-10T\d\d:\d\d:\d\d\+08:00$/);
    expect(new Set([...history.alerts.values()].map((r) => text(r.text, 'identifier'))).size).toBe(history.alerts.size);
  });

  it('says again, in an Update, the zones in force that a referenced alert held, and cancels only when none is left', () => {
    const { n, zones } = history;
    const zonesIn = (xml: string) => [...new Set(blocks(xml, 'info').map(zoneOf))].sort();
    expect(text(alert(n.designateBC), 'msgType')).toBe('Alert');
    // A case in B alone: the update replaces alert designateBC, so it must keep C.
    expect(text(alert(n.caseInB), 'msgType')).toBe('Update');
    expect(referencesOf(alert(n.caseInB))).toEqual([referenceTo(n.designateBC)]);
    expect(zonesIn(alert(n.caseInB))).toEqual([zones.b, zones.c].sort());
    // B lifted while C stays: an Update, all clear for B, C still in force.
    const liftB = alert(n.liftB);
    expect(text(liftB, 'msgType')).toBe('Update');
    expect(referencesOf(liftB)).toEqual([referenceTo(n.designateBC), referenceTo(n.caseInB)]);
    const infoB = blocks(liftB, 'info').filter((i) => zoneOf(i) === zones.b);
    expect(infoB.map((i) => [text(i, 'responseType'), text(i, 'urgency')])).toEqual([['AllClear', 'Past'], ['AllClear', 'Past']]);
    const infoC = blocks(liftB, 'info').filter((i) => zoneOf(i) === zones.c);
    expect(infoC.map((i) => text(i, 'responseType'))).toEqual(['Shelter', 'Shelter']);
    // C lifted last: Cancel, referencing every alert that spoke for B or C.
    expect(text(alert(n.liftC), 'msgType')).toBe('Cancel');
    expect(referencesOf(alert(n.liftC))).toEqual([referenceTo(n.designateBC), referenceTo(n.caseInB), referenceTo(n.liftB)]);
    // A's chain never mixes with B's and C's.
    expect(referencesOf(alert(n.caseInB)).flat()).not.toContain(text(alert(n.designateA), 'identifier'));
  });

  it('gives each zone an info in zh-CN and in en-US: Health, graded by kind, its measures, its expected change and the publication page', () => {
    const { n, zones } = history;
    const infos = blocks(alert(n.designateA), 'info');
    expect(infos.map((i) => text(i, 'language'))).toEqual(['zh-CN', 'en-US']);
    for (const info of infos) {
      expect(texts(info, 'category')).toEqual(['Health']);
      expect([text(info, 'urgency'), text(info, 'severity'), text(info, 'certainty')]).toEqual(['Immediate', 'Severe', 'Observed']);
      // Designated 11-10 under the twenty measures: lifted after 5 case-free days, at 00:00 on 11-16.
      expect(text(info, 'expires')).toBe('2022-11-16T00:00:00+08:00');
      const web = new URL(text(info, 'web'));
      expect(web.pathname).toBe(`/api/public/publications/${n.designateA}`);
      expect(zoneOf(info)).toBe(zones.a);
    }
    expect(text(infos[0], 'event')).toBe('风险区域划定');
    expect(text(infos[0], 'instruction')).toBe(MEASURES.sealed.zh);
    expect(text(infos[0], 'headline')).toContain('高风险区');
    expect(text(infos[1], 'instruction')).toBe(MEASURES.sealed.en);
    expect(text(infos[1], 'headline')).toContain('high-risk area');
    // The case on 11-12 moved the expected lift to 11-18.
    expect(texts(alert(n.caseInA), 'expires')).toEqual(['2022-11-18T00:00:00+08:00', '2022-11-18T00:00:00+08:00']);
    // The controlled zone of protocol-8 is graded below the sealed one, and named as its edition names it.
    const infoC = blocks(alert(n.designateBC), 'info').filter((i) => zoneOf(i) === zones.c);
    expect(text(infoC[0], 'severity')).toBe('Moderate');
    expect(text(infoC[0], 'headline')).toContain('管控区');
    expect(text(infoC[0], 'instruction')).toBe(MEASURES.controlled.zh);
    // A lift says the measures no longer apply, and sets no expiry.
    const lifted = blocks(alert(n.liftA), 'info');
    expect(lifted.map((i) => text(i, 'event'))).toEqual(['风险区域解除', 'Risk area lifted']);
    expect(lifted.map((i) => text(i, 'expires'))).toEqual([undefined, undefined]);
  });

  it('writes each zone as closed, counter-clockwise lat,lon polygons of at most 6 decimals, and names in areaDesc the holes CAP cannot carry', () => {
    let polygons = 0;
    for (const [number, { text: xml }] of history.alerts) {
      for (const polygon of texts(xml, 'polygon')) {
        polygons++;
        const pairs = polygon.split(' ');
        expect(pairs.length, `alert ${number}`).toBeGreaterThanOrEqual(4);
        for (const pair of pairs) expect(pair, `alert ${number}`).toMatch(/^-?\d{1,3}(\.\d{1,6})?,-?\d{1,3}(\.\d{1,6})?$/);
        expect(pairs.at(-1), `alert ${number}: closed`).toBe(pairs[0]);
        const ring = pairs.map((p) => p.split(',').map(Number)).map(([lat, lon]) => [lon, lat]);
        expect(signedArea(ring), `alert ${number}: counter-clockwise`).toBeGreaterThan(0);
        for (const [lon, lat] of ring) {
          expect(lon).toBeGreaterThan(115);
          expect(lat).toBeLessThan(38);
        }
      }
    }
    expect(polygons).toBeGreaterThan(10);
    // A's polygon is its outer ring; its hole is told in words, in both languages.
    const areas = blocks(alert(history.n.designateA), 'area');
    expect(areas.map((a) => texts(a, 'polygon'))).toEqual([
      ['36.6,116.1 36.6,116.11 36.61,116.11 36.61,116.1 36.6,116.1'],
      ['36.6,116.1 36.6,116.11 36.61,116.11 36.61,116.1 36.6,116.1'],
    ]);
    expect(text(areas[0], 'areaDesc')).toBe('甲小区 <东区> & 西区（高风险区），不含其中1处内部范围（CAP 多边形无法表示，以公布的地图为准）');
    expect(text(areas[1], 'areaDesc')).toContain('excluding 1 enclosed area');
  });

  it('serves each alert as immutable application/cap+xml, and 404 for a number never published', async () => {
    const served = history.alerts.get(history.n.designateA)!;
    expect(served.headers.get('content-type')).toMatch(/^application\/cap\+xml/);
    expect(served.headers.get('cache-control')).toContain('immutable');
    const anon = new Client(server!.url);
    expect((await anon.get(`/cap/${history.n.liftC + 1}.xml`)).status).toBe(404);
    expect((await anon.get('/cap/0.xml')).status).toBe(404);
    expect((await anon.get('/cap/abc.xml')).status).toBe(404);
    // The same bytes again, from any process that reads the record.
    expect((await anon.get(`/cap/${history.n.caseInB}.xml`)).text).toBe(history.alerts.get(history.n.caseInB)!.text);
  });

  describe('against the OASIS CAP 1.2 schema', needsXmllint, () => {
    it('validates every alert the history produced', () => {
      expect(history.alerts.size).toBe(7);
      for (const [number, { text: xml }] of history.alerts) {
        const r = xmllint(['--noout', '--schema', CAP_SCHEMA], xml);
        expect(r.status, `alert ${number}: ${r.output}`).toBe(0);
      }
    });

    it('serves feeds that are well-formed XML', () => {
      for (const xml of [history.capIndex.text, history.feed.text, ...Object.values(history.countyFeeds)]) {
        const r = xmllint(['--noout'], xml);
        expect(r.status, r.output).toBe(0);
      }
    });
  });

  /** The Atom elements RFC 4287 requires of a feed and of each entry. */
  const expectAtom = (xml: string) => {
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    const head = xml.slice(0, xml.indexOf('<entry>') === -1 ? undefined : xml.indexOf('<entry>'));
    for (const tag of ['id', 'title', 'updated']) expect(texts(head, tag), tag).toHaveLength(1);
    expect(text(head, 'updated')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(head).toMatch(/<author><name>[^<]+<\/name><\/author>/);
    expect(head).toMatch(/<link href="http[^"]+" rel="self"/);
    const entries = blocks(xml, 'entry');
    for (const entry of entries) {
      for (const tag of ['id', 'title', 'updated']) expect(texts(entry, tag), `${tag} in ${entry.slice(0, 200)}`).toHaveLength(1);
      expect(text(entry, 'id')).toMatch(/^tag:/);
      expect(entry).toMatch(/<link href="http[^"]+" rel="alternate"/);
    }
    return entries;
  };
  const numberOf = (entry: string) => Number(/\/(\d+)(\.xml)?"/.exec(entry)![1]);

  it('lists every alert in the CAP index feed, newest first, each entry linking its alert', () => {
    expect(history.capIndex.status).toBe(200);
    expect(history.capIndex.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    const entries = expectAtom(history.capIndex.text);
    const numbers = [...history.alerts.keys()].sort((a, b) => b - a);
    expect(entries.map((e) => /<link href="([^"]+)" rel="alternate" type="application\/cap\+xml"\/>/.exec(e)?.[1]).map((href) => new URL(href!).pathname)).toEqual(
      numbers.map((n) => `/cap/${n}.xml`),
    );
    expect(text(entries.at(-1)!, 'updated')).toBe(text(alert(history.n.designateA), 'sent'));
  });

  it('publishes the record as an Atom feed with each publication`s text, and per county only the publications that touched it', async () => {
    const { n, zones } = history;
    expect(history.feed.status).toBe(200);
    const entries = expectAtom(history.feed.text);
    expect(entries.map(numberOf)).toEqual([...history.alerts.keys()].sort((a, b) => b - a));
    const anon = new Client(server!.url);
    const first = entries.at(-1)!;
    const publication = (await anon.get(`/api/public/publications/${n.designateA}`)).body;
    expect(text(first, 'content')).toBe(publication.text);
    expect(text(first, 'title')).toContain(publication.title);
    expect(text(history.feed.text, 'title')).toBe('聊城市风险区域通告');

    expect(new Set(Object.values(history.counties)).size).toBe(3);
    const countyNumbers = (k: 'a' | 'b' | 'c') => expectAtom(history.countyFeeds[k]).map(numberOf);
    expect(countyNumbers('a')).toEqual([n.liftA, n.caseInA, n.designateA]);
    expect(countyNumbers('b')).toEqual([n.liftB, n.caseInB, n.designateBC]);
    expect(countyNumbers('c')).toEqual([n.liftC, n.designateBC]);
    expect(text(history.countyFeeds.c, 'title')).toBe('莘县风险区域通告');
    expect(zones.c).toBeTruthy();

    expect((await anon.get('/feed/999999.atom')).status).toBe(404);
    expect((await anon.get('/feed/abc.atom')).status).toBe(404);
    // Revalidation is cheap: the ETag names the newest publication.
    const etag = history.feed.headers.get('etag')!;
    expect((await anon.get('/feed.atom', { 'if-none-match': etag })).status).toBe(304);
  });
});
