import { describe, expect, it } from 'vitest';
import { EDGE_COST_SQL, EDGE_REVERSE_COST_SQL, buildRoadGraph, edgeCostSeconds, edgeDisplayName } from './graph';
import { gridPoint, road } from './test-roads';

describe('edgeCostSeconds', () => {
  it('is the travel time in seconds: 100 m at 36 km/h takes 10 s', () => {
    expect(edgeCostSeconds(100, 36)).toBe(10);
  });

  it('evaluates exactly as the SQL expression does, lengthM / (speedKmh / 3.6)', () => {
    // Same operations in the same order, so PostgreSQL float8 gives the same bits.
    expect(edgeCostSeconds(123.456, 47)).toBe(123.456 / (47 / 3.6));
    expect(EDGE_COST_SQL).toBe('length_m / (speed_kmh / 3.6)');
    expect(EDGE_REVERSE_COST_SQL).toBe('CASE WHEN oneway THEN -1 ELSE length_m / (speed_kmh / 3.6) END');
  });
});

describe('buildRoadGraph', () => {
  it('gives a two-way edge an arc each way and a oneway edge one arc, forwards', () => {
    const graph = buildRoadGraph([
      road(10, 100, 200, [gridPoint(0, 0), gridPoint(1, 0)]),
      road(11, 200, 300, [gridPoint(1, 0), gridPoint(2, 0)], { oneway: true }),
    ]);
    const arcs = (nodeId: number) => {
      const u = graph.nodeIndexOf(nodeId);
      const heads: number[] = [];
      for (let a = graph.outStart[u]; a < graph.outStart[u + 1]; a++) heads.push(graph.nodeIds[graph.outHead[a]]);
      return heads.sort();
    };
    expect(arcs(100)).toEqual([200]);
    expect(arcs(200)).toEqual([100, 300]);
    expect(arcs(300)).toEqual([]);
    expect(graph.outHead.length).toBe(3);
  });

  it('keeps incoming arcs for the backward search', () => {
    const graph = buildRoadGraph([road(11, 200, 300, [gridPoint(1, 0), gridPoint(2, 0)], { oneway: true })]);
    const v = graph.nodeIndexOf(300);
    expect(graph.inStart[v + 1] - graph.inStart[v]).toBe(1);
    expect(graph.nodeIds[graph.inTail[graph.inStart[v]]]).toBe(200);
  });

  it('leaves out edges that cannot carry traffic and counts them', () => {
    const graph = buildRoadGraph([
      road(1, 1, 2, [gridPoint(0, 0), gridPoint(1, 0)]),
      road(2, 2, 3, [gridPoint(1, 0), gridPoint(2, 0)], { speedKmh: 0 }),
      road(3, 3, 4, [gridPoint(2, 0)]),
    ]);
    expect(graph.edgeCount).toBe(1);
    expect(graph.skippedEdges).toBe(2);
    expect(graph.edgeIndexOf(2)).toBe(-1);
  });

  it('maps large original ids to dense indexes and back', () => {
    const big = 2 ** 40 + 7;
    const graph = buildRoadGraph([road(9_000_000_001, big, big + 1, [gridPoint(0, 0), gridPoint(1, 0)])]);
    expect(graph.nodeIds[graph.nodeIndexOf(big + 1)]).toBe(big + 1);
    expect(graph.edgeIds[graph.edgeIndexOf(9_000_000_001)]).toBe(9_000_000_001);
    expect(graph.nodeIndexOf(12345)).toBe(-1);
  });

  it('bounds travel time from below by straight-line distance even when lengths are shorter than the line', () => {
    const graph = buildRoadGraph([
      road(1, 1, 2, [gridPoint(0, 0), gridPoint(10, 0)], { lengthM: 50 }),
      road(2, 2, 3, [gridPoint(10, 0), gridPoint(20, 0)]),
    ]);
    for (let e = 0; e < graph.edgeCount; e++) {
      const s = graph.edgeSource[e];
      const t = graph.edgeTarget[e];
      const chord = Math.hypot(graph.nodeX[t] - graph.nodeX[s], graph.nodeY[t] - graph.nodeY[s]);
      expect(graph.secondsPerMetreBound * chord).toBeLessThanOrEqual(graph.edgeCost[e]);
    }
  });

  it('names an edge by its name, else its ref', () => {
    const graph = buildRoadGraph([
      road(1, 1, 2, [gridPoint(0, 0), gridPoint(1, 0)], { name: 'Harbour Road', ref: 'S1' }),
      road(2, 2, 3, [gridPoint(1, 0), gridPoint(2, 0)], { ref: 'G309' }),
      road(3, 3, 4, [gridPoint(2, 0), gridPoint(3, 0)]),
    ]);
    expect([0, 1, 2].map((e) => edgeDisplayName(graph, e))).toEqual(['Harbour Road', 'G309', null]);
  });
});
