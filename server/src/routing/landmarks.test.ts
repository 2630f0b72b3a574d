import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRoadGraph, type RoadGraph } from './graph';
import { computeLandmarks } from './landmarks';
import { gridPoint, road } from './test-roads';

/** All-pairs shortest costs by Floyd–Warshall over the graph's arcs (∞ when unreachable). */
function allPairs(graph: RoadGraph): number[][] {
  const n = graph.nodeCount;
  const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
  for (let u = 0; u < n; u++) {
    for (let a = graph.outStart[u]; a < graph.outStart[u + 1]; a++) {
      d[u][graph.outHead[a]] = Math.min(d[u][graph.outHead[a]], graph.outCost[a]);
    }
  }
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i][j] = Math.min(d[i][j], d[i][k] + d[k][j]);
  return d;
}

const randomGraph = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })), { minLength: 2, maxLength: 10 })
  .chain((positions) =>
    fc.array(
      fc.record({
        source: fc.nat(positions.length - 1),
        target: fc.nat(positions.length - 1),
        lengthM: fc.integer({ min: 0, max: 3000 }),
        oneway: fc.boolean(),
      }),
      { minLength: 1, maxLength: 25 },
    ).map((edges) =>
      buildRoadGraph(
        edges.map((e, k) =>
          road(k + 1, e.source + 1, e.target + 1, [gridPoint(...positions[e.source]), gridPoint(...positions[e.target])], {
            lengthM: e.lengthM,
            oneway: e.oneway,
          }),
        ),
      ),
    ),
  );

describe('computeLandmarks', () => {
  it('gives bounds that never exceed the true shortest cost, also where a landmark cannot reach', () => {
    fc.assert(
      fc.property(randomGraph, fc.integer({ min: 1, max: 6 }), (graph, count) => {
        const landmarks = computeLandmarks(graph, count)!;
        const d = allPairs(graph);
        const k = landmarks.count;
        for (let v = 0; v < graph.nodeCount; v++) {
          for (let w = 0; w < graph.nodeCount; w++) {
            for (let i = 0; i < k; i++) {
              const bound = Math.max(
                landmarks.fromLandmark[w * k + i] - landmarks.fromLandmark[v * k + i],
                landmarks.toLandmark[v * k + i] - landmarks.toLandmark[w * k + i],
              );
              expect(bound).toBeLessThanOrEqual(d[v][w] + 1e-9);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives bounds that are consistent along every arc', () => {
    fc.assert(
      fc.property(randomGraph, (graph) => {
        const landmarks = computeLandmarks(graph, 4)!;
        const k = landmarks.count;
        const bound = (v: number, w: number, i: number) =>
          Math.max(
            landmarks.fromLandmark[w * k + i] - landmarks.fromLandmark[v * k + i],
            landmarks.toLandmark[v * k + i] - landmarks.toLandmark[w * k + i],
          );
        for (let u = 0; u < graph.nodeCount; u++) {
          for (let a = graph.outStart[u]; a < graph.outStart[u + 1]; a++) {
            for (let w = 0; w < graph.nodeCount; w++) {
              for (let i = 0; i < k; i++) {
                expect(bound(u, w, i)).toBeLessThanOrEqual(graph.outCost[a] + bound(graph.outHead[a], w, i) + 1e-9);
              }
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('stores a finite stand-in above every real distance for nodes a landmark cannot reach', () => {
    // Node 3 only feeds into the loop 1–2 through a oneway edge, so no landmark reaches it.
    const graph = buildRoadGraph([
      road(1, 1, 2, [gridPoint(0, 0), gridPoint(4, 0)]),
      road(2, 3, 1, [gridPoint(-1, 0), gridPoint(0, 0)], { oneway: true }),
    ]);
    const landmarks = computeLandmarks(graph, 2)!;
    const isolated = graph.nodeIndexOf(3);
    for (let i = 0; i < landmarks.count; i++) {
      expect(landmarks.fromLandmark[isolated * landmarks.count + i]).toBe(landmarks.unreachable);
    }
    expect(landmarks.unreachable).toBeGreaterThan(graph.edgeCost[0] + graph.edgeCost[1]);
    expect(Number.isFinite(landmarks.unreachable)).toBe(true);
  });
});
