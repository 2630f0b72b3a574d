/**
 * The record's two promises, over random histories: random sequences of zones published,
 * cases (some reported late), screening rounds, edits published again, lifts by hand and days
 * passing, over the four editions. After every step
 * (a) today's public map equals a fresh rebuild from the facts (`view=corrected` for today lists
 *     no difference and the same zones), and
 * (b) the map of every day already over is byte for byte what it was when that day ended, which
 *     is the last map the public was shown that day.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/backends';
import { Client, loginAs, startTestServer } from '../helpers/server';
import { fakeClock, realClock, travelTo } from '../helpers/clock';

const EDITIONS = ['protocol-8', 'shanghai-2022', 'protocol-9', 'twenty-measures'] as const;
/** Places on a small grid: neighbouring squares overlap, so cases fall in several zones. */
const PLACES = [
  [116.0, 36.5],
  [116.004, 36.5],
  [116.0, 36.504],
  [116.3, 36.8],
] as const;
const square = (i: number, d: number) => {
  const [lon, lat] = PLACES[i];
  return { type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] };
};

type Op =
  | { op: 'designate'; edition: (typeof EDITIONS)[number]; kindIndex: number; place: number; size: number; daysAgo: number }
  | { op: 'case'; place: number; dx: number; daysAgo: number; amongIsolated: boolean }
  | { op: 'screening'; zone: number; daysAgo: number; negative: boolean }
  | { op: 'edit'; zone: number; change: 'kind' | 'geometry' | 'designatedOn'; place: number; kindIndex: number; daysAgo: number }
  | { op: 'lift'; zone: number }
  | { op: 'nextDay' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('designate' as const), edition: fc.constantFrom(...EDITIONS), kindIndex: fc.nat(2), place: fc.nat(PLACES.length - 1), size: fc.constantFrom(0.002, 0.006), daysAgo: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('case' as const), place: fc.nat(PLACES.length - 1), dx: fc.constantFrom(0.001, 0.003, 0.005), daysAgo: fc.nat(4), amongIsolated: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('screening' as const), zone: fc.nat(5), daysAgo: fc.nat(2), negative: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('edit' as const), zone: fc.nat(5), change: fc.constantFrom('kind' as const, 'geometry' as const, 'designatedOn' as const), place: fc.nat(PLACES.length - 1), kindIndex: fc.nat(2), daysAgo: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('lift' as const), zone: fc.nat(5) }) },
  { weight: 4, arbitrary: fc.constant({ op: 'nextDay' as const }) },
);

const KINDS = ['sealed', 'controlled', 'precaution'] as const;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe.each(backends())('the record over random histories on %s', (backend) => {
  beforeAll(() => fakeClock());
  afterAll(() => realClock());

  it('keeps today equal to a rebuild from the facts, and every day already over unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 8, maxLength: 22 }), async (ops) => {
        let day = '2022-05-01';
        travelTo(day);
        const server = await startTestServer(backend, { LOGIN_RATE_LIMIT_PER_15MIN: '100000' });
        try {
          const anon = new Client(server.url);
          let designer = await loginAs(server.url, 'designer1');
          let admin = await loginAs(server.url, 'admin');
          const zones: string[] = [];
          const closedDays = new Map<string, string>();
          let lastToday = '';

          const check = async (step: string) => {
            const today = await anon.get('/api/public/zones');
            expect(today.status).toBe(200);
            lastToday = today.text;
            const rebuilt = await anon.get(`/api/public/zones?asOf=${day}&view=corrected`);
            expect(rebuilt.status, rebuilt.text).toBe(200);
            expect(rebuilt.body.differences, `${step}: today differs from a rebuild`).toEqual([]);
            expect(rebuilt.body.features, `${step}: today's zones`).toEqual(today.body.features);
            for (const [d, text] of closedDays) expect((await anon.get(`/api/public/zones?asOf=${d}`)).text, `${step}: the map of ${d}`).toBe(text);
          };
          const ok = (status: number, text: string, allowed: number[]) => expect(allowed, text).toContain(status);

          await check('start');
          for (const [i, o] of ops.entries()) {
            const step = `step ${i} ${JSON.stringify(o)}`;
            if (o.op === 'nextDay') {
              const ended = day;
              day = addDays(day, 1);
              travelTo(day, '00:00');
              designer = await loginAs(server.url, 'designer1');
              admin = await loginAs(server.url, 'admin');
              // The day that just ended is what the public was last shown on it.
              const closed = await anon.get(`/api/public/zones?asOf=${ended}`);
              expect(closed.text, `${step}: ${ended} as it ended`).toBe(lastToday);
              closedDays.set(ended, closed.text);
              const run = await admin.post('/api/admin/expiry/run');
              expect(run.status, run.text).toBe(200);
              travelTo(day, '09:00');
            } else if (o.op === 'designate') {
              const edition = o.edition;
              const kind = edition === 'twenty-measures' ? 'sealed' : KINDS[o.kindIndex];
              const z = await designer.post('/api/zones', {
                type: 'Feature',
                geometry: square(o.place, o.size),
                properties: { kind, name: `区${zones.length}`, edition, designatedOn: addDays(day, -o.daysAgo) },
              });
              ok(z.status, z.text, [201]);
              const b = await designer.post('/api/bulletins', { zoneIds: [z.body.id], title: '通告' });
              ok(b.status, b.text, [201, 409]);
              if (b.status === 201) zones.push(z.body.id);
            } else if (o.op === 'case') {
              const [lon, lat] = PLACES[o.place];
              const c = await designer.post('/api/cases', { location: { type: 'Point', coordinates: [lon + o.dx, lat + o.dx] }, reportedOn: addDays(day, -o.daysAgo), amongIsolated: o.amongIsolated });
              ok(c.status, c.text, [201]);
            } else if (zones.length === 0) {
              continue;
            } else if (o.op === 'screening') {
              const s = await designer.post(`/api/zones/${zones[o.zone % zones.length]}/screenings`, { on: addDays(day, -o.daysAgo), negative: o.negative });
              ok(s.status, s.text, [201, 400, 409]);
            } else if (o.op === 'edit') {
              const id = zones[o.zone % zones.length];
              const current = await designer.get(`/api/zones/${id}`);
              const edition = current.body.properties.edition;
              const patch =
                o.change === 'geometry'
                  ? { geometry: square(o.place, 0.004) }
                  : o.change === 'kind'
                    ? { properties: { kind: edition === 'twenty-measures' ? 'sealed' : KINDS[o.kindIndex] } }
                    : { properties: { designatedOn: addDays(day, -o.daysAgo) } };
              const p = await designer.patch(`/api/zones/${id}`, patch, { 'if-match': String(current.body.properties.version) });
              ok(p.status, p.text, [200, 409]);
              if (p.status === 200) {
                const b = await designer.post('/api/bulletins', { zoneIds: [id], title: '调整通告' });
                ok(b.status, b.text, [201, 409]);
              }
            } else if (o.op === 'lift') {
              const l = await designer.post(`/api/zones/${zones[o.zone % zones.length]}/lift`, { reason: '经研判解除' });
              ok(l.status, l.text, [200, 409]);
            }
            await check(step);
          }
        } finally {
          await server.close();
        }
      }),
      { numRuns: backend === 'pglite' ? 10 : 5, endOnFailure: true },
    );
  }, 600_000);
});
