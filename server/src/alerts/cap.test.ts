import { describe, expect, it } from 'vitest';
import { AlertPlanner, capArea, capPolygon, type RecordRow } from './cap';
import { escapeXml, shanghaiDateTime } from './xml';

const row = (publication: number, zoneId: string, inForce = true): RecordRow => ({ publication, zoneId, inForce });

describe('AlertPlanner', () => {
  const planned = (rows: RecordRow[]) => {
    const planner = new AlertPlanner();
    planner.advance(rows, rows.at(-1)?.publication ?? 0);
    return (n: number) => planner.plan(n)!;
  };

  it('makes a first designation an Alert, a change an Update and the last lift a Cancel, referencing the whole chain', () => {
    const plan = planned([row(1, 'a'), row(2, 'a'), row(3, 'a', false)]);
    expect([1, 2, 3].map((n) => plan(n).msgType)).toEqual(['Alert', 'Update', 'Cancel']);
    expect(plan(3).references).toEqual([1, 2]);
  });

  it('carries the zones in force of a superseded alert into the Update, and drops lifted ones', () => {
    const plan = planned([row(1, 'a'), row(1, 'b'), row(1, 'c'), row(2, 'a'), row(3, 'b', false), row(4, 'a', false), row(5, 'c', false)]);
    expect(plan(2)).toMatchObject({ msgType: 'Update', references: [1], zones: ['a'], carried: ['b', 'c'] });
    expect(plan(3)).toMatchObject({ msgType: 'Update', references: [1, 2], zones: ['b'], carried: ['a', 'c'] });
    expect(plan(4)).toMatchObject({ msgType: 'Update', references: [1, 2, 3], zones: ['a'], carried: ['c'] });
    expect(plan(5)).toMatchObject({ msgType: 'Cancel', references: [1, 2, 3, 4], zones: ['c'], carried: [] });
  });

  it('keeps unrelated zones in their own chains', () => {
    const plan = planned([row(1, 'a'), row(2, 'b'), row(3, 'b'), row(4, 'a', false)]);
    expect(plan(2).msgType).toBe('Alert');
    expect(plan(3)).toMatchObject({ references: [2], carried: [] });
    expect(plan(4)).toMatchObject({ msgType: 'Cancel', references: [1] });
  });

  it('gives the same plans folded at once or in steps', () => {
    const rows = [row(1, 'a'), row(1, 'b'), row(2, 'a'), row(3, 'c'), row(4, 'b', false)];
    const once = planned(rows);
    const steps = new AlertPlanner();
    steps.advance(rows.filter((r) => r.publication <= 2), 2);
    steps.advance(rows.filter((r) => r.publication > 2), 4);
    for (const n of [1, 2, 3, 4]) expect(steps.plan(n)).toEqual(once(n));
  });
});

describe('capPolygon', () => {
  it('writes lat,lon pairs, closed and counter-clockwise, from a clockwise ring', () => {
    const clockwise = [[116, 36], [116, 36.1], [116.1, 36.1], [116.1, 36], [116, 36]];
    expect(capPolygon(clockwise)).toBe('36,116 36,116.1 36.1,116.1 36.1,116 36,116');
  });

  it('rounds to 6 decimals, never in exponent notation, and closes an open ring', () => {
    expect(capPolygon([[116.00000049, 36.1234567], [116.1, 36.1234567], [116.1, 36.2]])).toBe('36.123457,116 36.123457,116.1 36.2,116.1 36.123457,116');
    expect(capPolygon([[0.0000001, 0], [1, 0], [1, 1]])).toBe('0,0 0,1 1,1 0,0');
  });

  it('leaves out a ring that collapses at 6 decimals', () => {
    expect(capPolygon([[116, 36], [116.0000001, 36], [116, 36.0000001], [116, 36]])).toBeNull();
  });

  it('counts the holes of a multipolygon that CAP cannot carry', () => {
    const area = capArea(
      JSON.stringify({
        type: 'MultiPolygon',
        coordinates: [
          [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]],
          [[[10, 10], [11, 10], [11, 11], [10, 10]]],
        ],
      }),
    );
    expect(area).toEqual({ polygons: ['0,0 0,4 4,4 4,0 0,0', '10,10 10,11 11,11 10,10'], holes: 1 });
  });
});

describe('xml', () => {
  it('escapes markup and drops the characters XML 1.0 cannot carry', () => {
    expect(escapeXml(`a<b>&"c'\u0000\u0007\uFFFE\uD800d`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;d');
    expect(escapeXml('甲\t乙\n丙\r')).toBe('甲\t乙\n丙&#13;');
  });

  it('writes instants in Asia/Shanghai time with the offset CAP allows', () => {
    expect(shanghaiDateTime(new Date('2022-11-09T16:00:00.123Z'))).toBe('2022-11-10T00:00:00+08:00');
  });
});
