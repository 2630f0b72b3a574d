import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { evaluate, parseCql2Json, parseCql2Text, type QueryableType } from './cql2';

const queryables: Record<string, QueryableType> = {
  name: 'string', kind: 'string', beds: 'integer', sample: 'boolean', designatedOn: 'date', note: 'string', geometry: 'geometry',
};
const ctx = { queryables };
const hospital = {
  properties: { name: '聊城市人民医院', kind: 'designated-hospital', beds: 120, sample: false, designatedOn: '2022-11-05', note: null },
  geometry: { type: 'Point' as const, coordinates: [115.98, 36.45] },
};
const text = (src: string) => evaluate(parseCql2Text(src, ctx), hospital);
const refusal = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('not refused');
};

describe('CQL2 text', () => {
  it('compares numbers, strings, booleans and dates', () => {
    expect(text("beds >= 100 AND kind = 'designated-hospital'")).toBe(true);
    expect(text('beds < 100 OR sample = TRUE')).toBe(false);
    expect(text("designatedOn > DATE('2022-11-01')")).toBe(true);
    expect(text("NOT (name <> '聊城市人民医院')")).toBe(true);
  });

  it('treats a comparison with null as unknown, so neither it nor its negation matches', () => {
    expect(text("note = 'x'")).toBeNull();
    expect(text("NOT note = 'x'")).toBeNull();
    expect(text('note IS NULL')).toBe(true);
    expect(text('beds IS NOT NULL')).toBe(true);
  });

  it('reads LIKE, BETWEEN and IN, with NOT', () => {
    expect(text("name LIKE '聊城%'")).toBe(true);
    expect(text("name LIKE '_城%医院'")).toBe(true);
    expect(text("name NOT LIKE '%诊所'")).toBe(true);
    expect(text('beds BETWEEN 100 AND 200')).toBe(true);
    expect(text("kind IN ('fever-clinic', 'designated-hospital')")).toBe(true);
    expect(text("kind NOT IN ('fever-clinic')")).toBe(true);
  });

  it('takes a LIKE pattern literally apart from its wildcards', () => {
    expect(evaluate(parseCql2Text("name LIKE 'a.c'", ctx), { ...hospital, properties: { name: 'abc' } })).toBe(false);
    expect(evaluate(parseCql2Text("name LIKE '(.*)+'", ctx), { ...hospital, properties: { name: '(.*)+' } })).toBe(true);
  });

  it('matches a LIKE pattern of many wildcards against a long text in linear steps', () => {
    const e = parseCql2Text(`name LIKE '${'%a'.repeat(60)}%b'`, ctx);
    const started = Date.now();
    expect(evaluate(e, { ...hospital, properties: { name: 'a'.repeat(5000) } })).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(evaluate(parseCql2Text("name LIKE '100\\%'", ctx), { ...hospital, properties: { name: '100%' } })).toBe(true);
  });

  it('intersects with WKT, BBOX and open intervals', () => {
    expect(text('S_INTERSECTS(geometry, POLYGON((115.9 36.4, 116.0 36.4, 116.0 36.5, 115.9 36.5, 115.9 36.4)))')).toBe(true);
    expect(text('S_INTERSECTS(geometry, BBOX(116.1, 36.4, 116.2, 36.5))')).toBe(false);
    expect(text('S_INTERSECTS(geometry, POINT(115.98 36.45))')).toBe(true);
    expect(text("T_INTERSECTS(designatedOn, INTERVAL('2022-11-01', '..'))")).toBe(true);
    expect(text("T_BEFORE(designatedOn, DATE('2022-11-01'))")).toBe(false);
  });

  it('swaps the axes of literals given in a latitude-first filter-crs', () => {
    const e = parseCql2Text('S_INTERSECTS(geometry, POINT(36.45 115.98))', { queryables, latLonLiterals: true });
    expect(evaluate(e, hospital)).toBe(true);
  });

  it('refuses a malformed filter with the position of the error', () => {
    const e = refusal(() => parseCql2Text("beds >= 100 AND AND kind = 'x'", ctx));
    expect(e.status).toBe(400);
    expect(e.code).toBe('filter_invalid');
    expect(e.details).toEqual({ position: 16 });
    expect(refusal(() => parseCql2Text("name = 'open", ctx)).details).toEqual({ position: 7 });
    expect(refusal(() => parseCql2Text('beds >= 100 )', ctx)).details).toEqual({ position: 12 });
  });

  it('refuses a property that is not a queryable', () => {
    const e = refusal(() => parseCql2Text("phone = '0635'", ctx));
    expect(e.code).toBe('filter_property_unknown');
    expect(e.details).toEqual({ position: 0 });
  });

  it('keeps code and SQL out: quotes and semicolons are only text', () => {
    expect(text("name = 'x''; DROP TABLE zones; --'")).toBe(false);
    expect(refusal(() => parseCql2Text('name = constructor.constructor("return process")()', ctx)).status).toBe(400);
  });

  it('bounds nesting and length', () => {
    expect(refusal(() => parseCql2Text(`${'('.repeat(100)}beds = 1${')'.repeat(100)}`, ctx)).status).toBe(400);
    expect(refusal(() => parseCql2Text(`beds = 1${' OR beds = 1'.repeat(2000)}`, ctx)).status).toBe(400);
  });
});

describe('CQL2 JSON', () => {
  it('reads the same predicates as the text encoding', () => {
    const e = parseCql2Json(
      JSON.stringify({
        op: 'and',
        args: [
          { op: '>=', args: [{ property: 'beds' }, 100] },
          { op: 'in', args: [{ property: 'kind' }, ['designated-hospital']] },
          { op: 's_intersects', args: [{ property: 'geometry' }, { bbox: [115.9, 36.4, 116.0, 36.5] }] },
          { op: 't_intersects', args: [{ property: 'designatedOn' }, { interval: ['2022-11-01', '2022-11-30'] }] },
          { op: 'like', args: [{ property: 'name' }, '%医院'] },
        ],
      }),
      ctx,
    );
    expect(evaluate(e, hospital)).toBe(true);
  });

  it('refuses a malformed member with its JSON pointer', () => {
    const e = refusal(() => parseCql2Json(JSON.stringify({ op: 'and', args: [{ op: '=', args: [{ property: 'beds' }] }, true] }), ctx));
    expect(e.code).toBe('filter_invalid');
    expect(e.details).toEqual({ path: '/args/0/args' });
    expect(refusal(() => parseCql2Json('{"op":', ctx)).code).toBe('filter_invalid');
  });
});
