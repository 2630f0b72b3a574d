import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RoutingEngine } from './engine';
import { NoRouteError, ROUTE_BUDGET_EXCEEDED, ROUTE_NOT_FOUND, RouteBudgetError } from './errors';
import type { LonLat } from './geometry';
import { edgeCostSeconds, type RoadEdge } from './graph';
import { gridEdge, gridNode, gridPoint, gridRoads, rectangleZone, road } from './test-roads';

/** Textbook O(V²) Dijkstra over plain arcs: the reference the engine must agree with. */
function referenceCost(nodeCount: number, arcs: { from: number; to: number; cost: number }[], from: number, to: number): number {
  const dist = new Array<number>(nodeCount).fill(Infinity);
  const done = new Array<boolean>(nodeCount).fill(false);
  dist[from] = 0;
  for (;;) {
    let u = -1;
    for (let v = 0; v < nodeCount; v++) if (!done[v] && dist[v] < Infinity && (u === -1 || dist[v] < dist[u])) u = v;
    if (u === -1) return dist[to];
    done[u] = true;
    for (const arc of arcs) if (arc.from === u && dist[u] + arc.cost < dist[arc.to]) dist[arc.to] = dist[u] + arc.cost;
  }
}

/** Equal up to rounding: relative 1e-9 (sums of the same costs in another order differ slightly). */
function expectSameCost(actual: number | undefined, expected: number): void {
  expect(actual).toBeDefined();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected));
}

/** Arcs of road edges as the reference sees them: both ways unless oneway. */
function referenceArcs(edges: RoadEdge[], nodeIndex: (id: number) => number, open: (edge: RoadEdge) => boolean) {
  const arcs: { from: number; to: number; cost: number }[] = [];
  for (const edge of edges) {
    if (!open(edge)) continue;
    const cost = edgeCostSeconds(edge.lengthM, edge.speedKmh);
    arcs.push({ from: nodeIndex(edge.source), to: nodeIndex(edge.target), cost });
    if (!edge.oneway) arcs.push({ from: nodeIndex(edge.target), to: nodeIndex(edge.source), cost });
  }
  return arcs;
}

// fc.double spreads over the bit patterns (mostly tiny numbers), so positions, lengths and
// fractions are drawn as integers and scaled: a ~2 km square, lengths to 3 km, fractions in 1/1000.
const coordinate = fc.integer({ min: 0, max: 200 }).map((i) => i / 10_000);
const fraction = fc.integer({ min: 0, max: 1000 }).map((i) => i / 1000);

const randomNetwork = fc
  .array(fc.tuple(coordinate, coordinate), {
    minLength: 2,
    maxLength: 12,
  })
  .chain((positions) =>
    fc.record({
      positions: fc.constant(positions),
      edges: fc.array(
        fc.record({
          source: fc.nat(positions.length - 1),
          target: fc.nat(positions.length - 1),
          // Lengths unrelated to the geometry on purpose: the search bound must stay admissible.
          lengthM: fc.integer({ min: 0, max: 30_000 }).map((i) => i / 10),
          speedKmh: fc.constantFrom(5, 30, 36, 60, 120),
          oneway: fc.boolean(),
          maxHeightM: fc.option(fc.constantFrom(3, 4, 5), { nil: null }),
        }),
        { minLength: 1, maxLength: 36 },
      ),
    }),
  );

function toRoads(network: { positions: [number, number][]; edges: { source: number; target: number; lengthM: number; speedKmh: number; oneway: boolean; maxHeightM: number | null }[] }): RoadEdge[] {
  const at = (i: number): LonLat => [116 + network.positions[i][0], 36.45 + network.positions[i][1]];
  // Node ids far from 0…n−1 so a mix-up of ids and indexes shows.
  return network.edges.map((e, k) =>
    road(k + 100, e.source * 7 + 1000, e.target * 7 + 1000, [at(e.source), at(e.target)], {
      lengthM: e.lengthM,
      speedKmh: e.speedKmh,
      oneway: e.oneway,
      maxHeightM: e.maxHeightM,
    }),
  );
}

describe('RoutingEngine shortest paths', () => {
  it('finds the same node-to-node cost as a brute-force Dijkstra on random small networks', () => {
    fc.assert(
      fc.property(
        randomNetwork,
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        fc.option(fc.constantFrom(3.5, 4.5), { nil: undefined }),
        (network, a, b, heuristic, heightM) => {
          const edges = toRoads(network);
          const used = [...new Set(edges.flatMap((e) => [e.source, e.target]))].sort((x, y) => x - y);
          const from = used[a % used.length];
          const to = used[b % used.length];
          const truck = heightM === undefined ? undefined : { heightM };
          const open = (edge: RoadEdge) => truck === undefined || edge.maxHeightM === null || edge.maxHeightM >= heightM!;
          const expected = referenceCost(used.length, referenceArcs(edges, (id) => used.indexOf(id), open), used.indexOf(from), used.indexOf(to));

          const engine = new RoutingEngine(edges, [], { heuristic });
          if (expected === Infinity) {
            expect(() => engine.routeBetweenNodes(from, to, { truck })).toThrow(NoRouteError);
          } else {
            const path = engine.routeBetweenNodes(from, to, { truck });
            expectSameCost(path.costSeconds, expected);
            const byId = new Map(edges.map((e) => [e.id, e]));
            const summed = path.edgeIds.reduce((sum, id) => sum + edgeCostSeconds(byId.get(id)!.lengthM, byId.get(id)!.speedKmh), 0);
            expectSameCost(summed, path.costSeconds);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('routes between positions on edges like a brute force on the network split at those positions', () => {
    fc.assert(
      fc.property(
        randomNetwork,
        fc.nat(),
        fc.nat(),
        fraction,
        fraction,
        (network, i, j, f, g) => {
          const edges = toRoads(network);
          const on = (edge: RoadEdge, t: number): LonLat => [
            edge.geometry[0][0] + t * (edge.geometry[1][0] - edge.geometry[0][0]),
            edge.geometry[0][1] + t * (edge.geometry[1][1] - edge.geometry[0][1]),
          ];
          const engine = new RoutingEngine(edges, []);
          const from = on(edges[i % edges.length], f);
          const to = on(edges[j % edges.length], g);
          let result;
          try {
            result = engine.route({ from, to, avoid: [] });
          } catch (error) {
            if (!(error instanceof NoRouteError)) throw error;
            result = null;
          }
          const snappedFrom = result?.snappedFrom ?? engine.snap(from)!;
          const snappedTo = result?.snappedTo ?? engine.snap(to)!;

          // Split the snapped edges at the snapped positions; S and T are the new nodes. A
          // position exactly at an end of an edge is that junction: linked to it both ways.
          const ids = [...new Set(edges.flatMap((e) => [e.source, e.target]))];
          const S = -1;
          const T = -2;
          const index = (id: number) => (id === S ? ids.length : id === T ? ids.length + 1 : ids.indexOf(id));
          const arcs = referenceArcs(
            edges.filter((e) => e.id !== snappedFrom.edgeId && e.id !== snappedTo.edgeId),
            index,
            () => true,
          );
          const split = (edge: RoadEdge, cuts: { node: number; fraction: number }[]) => {
            const cost = edgeCostSeconds(edge.lengthM, edge.speedKmh);
            const stops = [{ node: edge.source, fraction: 0 }, ...cuts.sort((x, y) => x.fraction - y.fraction), { node: edge.target, fraction: 1 }];
            for (let k = 0; k + 1 < stops.length; k++) {
              const piece = (stops[k + 1].fraction - stops[k].fraction) * cost;
              arcs.push({ from: index(stops[k].node), to: index(stops[k + 1].node), cost: piece });
              if (!edge.oneway) arcs.push({ from: index(stops[k + 1].node), to: index(stops[k].node), cost: piece });
            }
            for (const cut of cuts) {
              for (const end of cut.fraction === 0 ? [edge.source] : cut.fraction === 1 ? [edge.target] : []) {
                arcs.push({ from: index(cut.node), to: index(end), cost: 0 }, { from: index(end), to: index(cut.node), cost: 0 });
              }
            }
          };
          const byId = new Map(edges.map((e) => [e.id, e]));
          if (snappedFrom.edgeId === snappedTo.edgeId) {
            split(byId.get(snappedFrom.edgeId)!, [
              { node: S, fraction: snappedFrom.fraction },
              { node: T, fraction: snappedTo.fraction },
            ]);
          } else {
            split(byId.get(snappedFrom.edgeId)!, [{ node: S, fraction: snappedFrom.fraction }]);
            split(byId.get(snappedTo.edgeId)!, [{ node: T, fraction: snappedTo.fraction }]);
          }
          const expected = referenceCost(ids.length + 2, arcs, index(S), index(T));
          if (expected === Infinity) expect(result).toBeNull();
          else expectSameCost(result?.costSeconds, expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never drives a oneway edge against its direction', () => {
    // A short oneway 1→3 and a long two-way way round through 2.
    const edges = [
      road(1, 1, 3, [gridPoint(0, 0), gridPoint(1, 0)], { oneway: true }),
      road(2, 1, 2, [gridPoint(0, 0), gridPoint(0, 2)]),
      road(3, 2, 3, [gridPoint(0, 2), gridPoint(1, 0)]),
    ];
    const engine = new RoutingEngine(edges);
    expect(engine.routeBetweenNodes(1, 3).edgeIds).toEqual([1]);
    expect(engine.routeBetweenNodes(3, 1).edgeIds).toEqual([3, 2]);
    expect(engine.route({ from: gridPoint(1, 0), to: gridPoint(0, 0) }).edgeIds).toEqual([3, 2]);
  });

  it('stops with RouteBudgetError when the search settles more junctions than allowed', () => {
    const engine = new RoutingEngine(gridRoads(10, 10));
    const attempt = () => engine.route({ from: gridPoint(0, 0), to: gridPoint(9, 9), maxSettledNodes: 5 });
    expect(attempt).toThrow(RouteBudgetError);
    try {
      attempt();
    } catch (error) {
      expect((error as RouteBudgetError).code).toBe(ROUTE_BUDGET_EXCEEDED);
    }
  });
});

describe('RoutingEngine around zones', () => {
  it('takes a detour when a sealed zone closes the direct road, and names that zone', () => {
    const edges = gridRoads(3, 2);
    const closed = gridEdge(edges, 3, [0, 0], [1, 0]);
    const zone = rectangleZone('z-bottom', 'sealed', [0.4, -0.2], [0.6, 0.2]);
    const open = new RoutingEngine(edges).route({ from: gridPoint(0, 0), to: gridPoint(2, 0) });
    const around = new RoutingEngine(edges, [zone]).route({ from: gridPoint(0, 0), to: gridPoint(2, 0) });
    expect(open.edgeIds).toContain(closed.id);
    expect(around.edgeIds).not.toContain(closed.id);
    expect(around.costSeconds).toBeGreaterThan(open.costSeconds);
    expect(around.avoidedZones).toEqual([{ id: 'z-bottom', name: 'Test zone z-bottom', kind: 'sealed' }]);
  });

  it('closes an edge that only crosses a zone, with both of its ends outside', () => {
    const edges = gridRoads(3, 2);
    const crossing = gridEdge(edges, 3, [0, 0], [1, 0]);
    const engine = new RoutingEngine(edges, [rectangleZone('z', 'controlled', [0.4, -0.2], [0.6, 0.2])]);
    expect(engine.closedEdgeIds()).toEqual([crossing.id]);
  });

  it('keeps open an edge whose bbox overlaps a zone the edge itself does not touch', () => {
    // A diagonal road and a triangle that lies in the corner of its bbox, away from the line.
    const edges = [road(1, 1, 2, [gridPoint(0, 0), gridPoint(2, 2)])];
    const [x0, y0] = gridPoint(1.2, 0.1);
    const [x1, y1] = gridPoint(1.9, 0.8);
    const triangle = {
      id: 'corner',
      kind: 'sealed' as const,
      name: 'corner',
      geometry: { type: 'MultiPolygon' as const, coordinates: [[[[x0, y0], [x1, y0], [x1, y1], [x0, y0]]]] },
    };
    expect(new RoutingEngine(edges, [triangle]).closedEdgeIds()).toEqual([]);
  });

  it('ignores precaution zones unless the request avoids them', () => {
    const edges = gridRoads(3, 2);
    const crossing = gridEdge(edges, 3, [0, 0], [1, 0]);
    const engine = new RoutingEngine(edges, [rectangleZone('p', 'precaution', [0.4, -0.2], [0.6, 0.2])]);
    expect(engine.closedEdgeIds()).toEqual([]);
    expect(engine.closedEdgeIds({ avoid: ['precaution'] })).toEqual([crossing.id]);
  });

  it('lets a start inside a sealed zone leave that zone but keeps every other zone closed', () => {
    const edges = gridRoads(5, 3);
    const home = rectangleZone('home', 'sealed', [-0.3, 0.7], [0.3, 1.3]);
    const other = rectangleZone('other', 'sealed', [1.7, 0.7], [2.3, 1.3]);
    const engine = new RoutingEngine(edges, [home, other]);
    const result = engine.route({ from: gridPoint(0, 1), to: gridPoint(4, 1) });
    const otherEdges = new RoutingEngine(edges, [other]).closedEdgeIds();
    expect(result.edgeIds.some((id) => otherEdges.includes(id))).toBe(false);
    expect(result.enteredZones.map((z) => z.id)).toEqual(['home']);
    expect(result.enteredZones[0].reason).toMatch(/start lies inside/);
    expect(result.avoidedZones.map((z) => z.id)).toEqual(['other']);
  });

  it('delivers into a sealed zone around the destination and says so', () => {
    const edges = gridRoads(5, 3);
    const target = rectangleZone('target', 'sealed', [3.7, 0.7], [4.3, 1.3]);
    const result = new RoutingEngine(edges, [target]).route({ from: gridPoint(0, 1), to: gridPoint(4, 1) });
    expect(result.snappedTo.point).toEqual(gridPoint(4, 1));
    expect(result.enteredZones.map((z) => z.id)).toEqual(['target']);
    expect(result.enteredZones[0].reason).toMatch(/destination lies inside/);
  });

  it('throws NoRouteError naming the zones that cut every way, and only those', () => {
    const edges = gridRoads(5, 3);
    const band = rectangleZone('band', 'controlled', [1.4, -0.5], [1.6, 2.5]);
    const elsewhere = rectangleZone('elsewhere', 'sealed', [3.4, -0.2], [3.6, 0.2]);
    const engine = new RoutingEngine(edges, [band, elsewhere]);
    let thrown: unknown;
    try {
      engine.route({ from: gridPoint(0, 1), to: gridPoint(4, 1) });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(NoRouteError);
    const error = thrown as NoRouteError;
    expect(error.code).toBe(ROUTE_NOT_FOUND);
    expect(error.details.reason).toBe('blocked_by_zones');
    expect(error.details.blockingZones).toEqual([{ id: 'band', name: 'Test zone band', kind: 'controlled' }]);
  });

  it('reports an unconnected network as not_connected with no blocking zones', () => {
    const edges = [road(1, 1, 2, [gridPoint(0, 0), gridPoint(1, 0)]), road(2, 3, 4, [gridPoint(3, 0), gridPoint(4, 0)])];
    let thrown: unknown;
    try {
      new RoutingEngine(edges).route({ from: gridPoint(0, 0), to: gridPoint(4, 0) });
    } catch (error) {
      thrown = error;
    }
    expect((thrown as NoRouteError).details).toEqual({ reason: 'not_connected', blockingZones: [] });
  });

  it('re-opens roads when a zone is lifted', () => {
    const edges = gridRoads(3, 2);
    const crossing = gridEdge(edges, 3, [0, 0], [1, 0]);
    const engine = new RoutingEngine(edges, [rectangleZone('z', 'sealed', [0.4, -0.2], [0.6, 0.2])]);
    engine.setZones([]);
    expect(engine.route({ from: gridPoint(0, 0), to: gridPoint(1, 0) }).edgeIds).toEqual([crossing.id]);
  });
});

describe('RoutingEngine truck limits', () => {
  const lowBridge = () => {
    const edges = gridRoads(3, 2);
    const direct = gridEdge(edges, 3, [0, 0], [1, 0]);
    return { edges, direct };
  };

  it('sends a truck taller than a height limit round, and lets a lower truck and cars through', () => {
    const { edges, direct } = lowBridge();
    direct.maxHeightM = 3.5;
    const engine = new RoutingEngine(edges);
    const request = { from: gridPoint(0, 0), to: gridPoint(1, 0) };
    expect(engine.route(request).edgeIds).toEqual([direct.id]);
    expect(engine.route({ ...request, truck: { heightM: 3 } }).edgeIds).toEqual([direct.id]);
    expect(engine.route({ ...request, truck: { heightM: 4 } }).edgeIds).not.toContain(direct.id);
  });

  it('sends a truck heavier than a weight limit round', () => {
    const { edges, direct } = lowBridge();
    direct.maxWeightT = 10;
    const engine = new RoutingEngine(edges);
    const request = { from: gridPoint(0, 0), to: gridPoint(1, 0) };
    expect(engine.route({ ...request, truck: { weightT: 8 } }).edgeIds).toEqual([direct.id]);
    expect(engine.route({ ...request, truck: { weightT: 20 } }).edgeIds).not.toContain(direct.id);
  });

  it('keeps any truck off a no-trucks road but not cars', () => {
    const { edges, direct } = lowBridge();
    direct.noTrucks = true;
    const engine = new RoutingEngine(edges);
    const request = { from: gridPoint(0, 0), to: gridPoint(1, 0) };
    expect(engine.route(request).edgeIds).toEqual([direct.id]);
    expect(engine.route({ ...request, truck: {} }).edgeIds).not.toContain(direct.id);
  });
});

describe('RoutingEngine snapping and route shape', () => {
  it('starts from the middle of an edge with half of its cost', () => {
    const edges = [road(1, 1, 2, [gridPoint(0, 0), gridPoint(1, 0)]), road(2, 2, 3, [gridPoint(1, 0), gridPoint(2, 0)])];
    const result = new RoutingEngine(edges).route({ from: [116.0005, 36.4501], to: gridPoint(2, 0) });
    const cost = (e: RoadEdge) => edgeCostSeconds(e.lengthM, e.speedKmh);
    expect(result.snappedFrom.edgeId).toBe(1);
    expect(result.snappedFrom.fraction).toBeCloseTo(0.5, 9);
    expect(result.snappedFrom.point[0]).toBeCloseTo(116.0005, 12);
    expect(result.snappedFrom.point[1]).toBeCloseTo(36.45, 12);
    // 0.0001° of latitude at 36.45°N on the WGS84 ellipsoid.
    expect(result.snappedFrom.distanceMeters).toBeCloseTo(11.097, 2);
    expect(result.costSeconds).toBeCloseTo(cost(edges[0]) / 2 + cost(edges[1]), 9);
    expect(result.distanceMeters).toBeCloseTo(edges[0].lengthM / 2 + edges[1].lengthM, 9);
    expect(result.edgeIds).toEqual([1, 2]);
    expect(result.coordinates).toEqual([result.snappedFrom.point, gridPoint(1, 0), gridPoint(2, 0)]);
  });

  it('drives straight along an edge when start and destination are on it', () => {
    const line = [0, 1, 2, 3, 4].map((c) => gridPoint(c, 0));
    const edges = [road(1, 1, 2, line)];
    const engine = new RoutingEngine(edges);
    const cost = edgeCostSeconds(edges[0].lengthM, 36);
    const ahead = engine.route({ from: gridPoint(1, 0), to: gridPoint(3, 0) });
    expect(ahead.costSeconds).toBeCloseTo(cost / 2, 9);
    expect(ahead.edgeIds).toEqual([1]);
    expect(ahead.coordinates).toEqual([gridPoint(1, 0), gridPoint(2, 0), gridPoint(3, 0)]);
    const back = engine.route({ from: gridPoint(3, 0), to: gridPoint(1, 0) });
    expect(back.costSeconds).toBeCloseTo(cost / 2, 9);
    expect(back.coordinates).toEqual([gridPoint(3, 0), gridPoint(2, 0), gridPoint(1, 0)]);
  });

  it('goes round the block to reach a point behind the start on the same oneway edge', () => {
    const line = [0, 1, 2, 3, 4].map((c) => gridPoint(c, 0));
    const edges = [
      road(1, 1, 2, line, { oneway: true }),
      road(2, 2, 3, [gridPoint(4, 0), gridPoint(4, 1)]),
      road(3, 3, 4, [gridPoint(4, 1), gridPoint(0, 1)]),
      road(4, 4, 1, [gridPoint(0, 1), gridPoint(0, 0)]),
    ];
    const result = new RoutingEngine(edges).route({ from: gridPoint(3, 0), to: gridPoint(1, 0) });
    const cost = (e: RoadEdge) => edgeCostSeconds(e.lengthM, e.speedKmh);
    expect(result.edgeIds).toEqual([1, 2, 3, 4, 1]);
    expect(result.costSeconds).toBeCloseTo(cost(edges[0]) / 2 + cost(edges[1]) + cost(edges[2]) + cost(edges[3]), 9);
  });

  it('lists road names in driving order, merging repeats and skipping unnamed roads', () => {
    const names: [string | null, string | null][] = [
      ['First Street', null],
      ['First Street', null],
      [null, null],
      ['Second Street', null],
      [null, 'G309'],
      ['Second Street', null],
    ];
    const edges = names.map(([name, ref], k) => road(k + 1, k + 1, k + 2, [gridPoint(k, 0), gridPoint(k + 1, 0)], { name, ref }));
    const result = new RoutingEngine(edges).route({ from: gridPoint(0, 0), to: gridPoint(6, 0) });
    expect(result.roadNames).toEqual(['First Street', 'Second Street', 'G309', 'Second Street']);
  });

  it('snaps only to roads that are open for the request', () => {
    const edges = gridRoads(3, 2);
    const bottom = gridEdge(edges, 3, [0, 0], [1, 0]);
    bottom.noTrucks = true;
    const engine = new RoutingEngine(edges);
    expect(engine.snap([116.0005, 36.45])?.edgeId).toBe(bottom.id);
    expect(engine.snap([116.0005, 36.45], { truck: {} })?.edgeId).not.toBe(bottom.id);
  });

  it('answers node-to-node queries by original node id', () => {
    const edges = gridRoads(3, 3);
    const path = new RoutingEngine(edges).routeBetweenNodes(gridNode(3, 0, 0), gridNode(3, 2, 0));
    expect(path.edgeIds).toEqual([gridEdge(edges, 3, [0, 0], [1, 0]).id, gridEdge(edges, 3, [1, 0], [2, 0]).id]);
  });
});
