/**
 * Measures the in-process routing engine on a SYNTHETIC ~1,000,000-edge network with 500 zones
 * (bench/lib/road-network.ts; same seed, same network):
 *   (a) building the CSR graph, its memory, and computing zone closures (own test vs turf);
 *   (b) route latency of our CSR search (bidirectional A* with landmark and straight-line bounds,
 *       with the straight-line bound only, and bidirectional Dijkstra) against
 *       ngraph.path (A*, NBA*) over random node pairs with the same closures, checking that all
 *       find the same cost;
 *   (c) the full `route()` between random positions (snapping, zone opening, two searches).
 *
 * Run: NODE_OPTIONS='--max-old-space-size=8192 --expose-gc' npx tsx bench/routing-engine.ts
 * Options: --pairs=50 --size=714 --zones=500 --skip-ngraph
 */
import os from 'node:os';
import { booleanIntersects, lineString, multiPolygon } from '@turf/turf';
import createGraph from 'ngraph.graph';
import path from 'ngraph.path';
import { buildRoadGraph, type RoadGraph } from '../server/src/routing/graph';
import { DEFAULT_LANDMARKS, RoutingEngine } from '../server/src/routing/engine';
import { NoRouteError } from '../server/src/routing/errors';
import { ZonePolygon, ZoneClosures, edgesClosedByZone, type AvoidedZone } from '../server/src/routing/zone-index';
import type { LonLat } from '../server/src/routing/geometry';
import { generateRoadNetwork, generateZones, seededRandom } from './lib/road-network';

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key, value ?? 'true'] as const;
  }),
);
const pairCount = Number(args.get('pairs') ?? 50);
const size = Number(args.get('size') ?? 714);
const zoneCount = Number(args.get('zones') ?? 500);
const skipNgraph = args.has('skip-ngraph');

const gc = (globalThis as { gc?: () => void }).gc;
const collect = (): void => {
  if (gc) {
    gc();
    gc();
  }
};
const memoryMB = (): number => {
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.arrayBuffers) / 1e6;
};
const time = <T>(work: () => T): [T, number] => {
  const start = performance.now();
  const value = work();
  return [value, performance.now() - start];
};
const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const report: Record<string, unknown> = { loadAverageAtStart: os.loadavg()[0] };
console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

// ---- (a) network, graph, zones -------------------------------------------------------------
const [network, generateMs] = time(() => generateRoadNetwork({ size }));
console.log(`network: ${network.edges.length} edges, ${network.nodes.size} nodes, generated in ${ms(generateMs)}`);
collect();
const memoryBefore = memoryMB();
const [graph, buildMs] = time(() => buildRoadGraph(network.edges));
collect();
const graphMB = memoryMB() - memoryBefore;
const rebuildTimes = [1, 2].map(() => time(() => buildRoadGraph(network.edges))[1]);
console.log(
  `(a) CSR build: ${ms(buildMs)} (rebuilds ${rebuildTimes.map(ms).join(', ')}); graph memory ≈ ${graphMB.toFixed(0)} MB; ` +
    `${graph.nodeCount} nodes, ${graph.outHead.length} arcs`,
);
report.build = { edges: graph.edgeCount, nodes: graph.nodeCount, firstMs: buildMs, rebuildMs: rebuildTimes, graphMB };
// The road objects are only the input: a server drops them once the graph is built, and keeping
// them would make every later garbage collection (and so every timing below) pay for marking them.
network.edges.length = 0;
collect();

const zones = generateZones(network, { count: zoneCount });
const closures = new ZoneClosures(graph);
const [, zonesMs] = time(() => closures.setZones(zones));
let closedDefault = 0;
for (let e = 0; e < graph.edgeCount; e++) if ((closures.kindMask[e] & 3) !== 0) closedDefault++;
const moved: AvoidedZone[] = zones.map((zone, i) =>
  i === 0
    ? {
        ...zone,
        geometry: {
          type: 'MultiPolygon',
          coordinates: zone.geometry.coordinates.map((polygon) =>
            polygon.map((ring) => ring.map(([lon, lat]) => [lon + 0.002, lat])),
          ),
        },
      }
    : zone,
);
const [, oneZoneMs] = time(() => closures.setZones(moved));
closures.setZones(zones);
console.log(
  `    zones: ${zones.length} closed ${closedDefault} edges (sealed+controlled) in ${ms(zonesMs)}; ` +
    `one changed zone recomputed in ${ms(oneZoneMs)}`,
);

// A district-sized zone: a 200-vertex polygon over about 40 % of the network.
const [minLon, minLat, maxLon, maxLat] = network.bbox;
const centreLon = (minLon + maxLon) / 2;
const centreLat = (minLat + maxLat) / 2;
const district: LonLat[] = [];
for (let k = 0; k < 200; k++) {
  const angle = (2 * Math.PI * k) / 200;
  const wobble = 0.9 + 0.1 * Math.sin(7 * angle);
  district.push([
    centreLon + 0.35 * wobble * (maxLon - minLon) * Math.cos(angle),
    centreLat + 0.35 * wobble * (maxLat - minLat) * Math.sin(angle),
  ]);
}
district.push(district[0]);
const [districtClosed, districtMs] = time(() =>
  edgesClosedByZone(graph, new ZonePolygon({ type: 'MultiPolygon', coordinates: [[district]] })),
);
console.log(`    district-sized zone: closed ${districtClosed.length} edges in ${ms(districtMs)}`);

// Own segment/ring test against turf booleanIntersects on the same candidates.
const sample = zones.slice(0, 40);
let ownMs = 0;
let turfMs = 0;
let candidates = 0;
let disagreements = 0;
for (const zone of sample) {
  const polygon = new ZonePolygon(zone.geometry);
  const bboxCandidates = graph.edgeIndex.search(polygon.minX, polygon.minY, polygon.maxX, polygon.maxY);
  candidates += bboxCandidates.length;
  const [own, ownTime] = time(() => new Set(edgesClosedByZone(graph, polygon)));
  const turfZone = multiPolygon(zone.geometry.coordinates);
  const [viaTurf, turfTime] = time(
    () => new Set(bboxCandidates.filter((e) => booleanIntersects(lineString(edgeLine(graph, e)), turfZone))),
  );
  ownMs += ownTime;
  turfMs += turfTime;
  for (const e of bboxCandidates) if (own.has(e) !== viaTurf.has(e)) disagreements++;
}
console.log(
  `    closure test on ${sample.length} zones (${candidates} bbox candidates): own ${ms(ownMs)}, ` +
    `turf booleanIntersects ${ms(turfMs)}, disagreements ${disagreements}`,
);
report.zones = { count: zones.length, closedDefault, allMs: zonesMs, oneZoneMs, districtMs, ownMs, turfMs, disagreements };

function edgeLine(g: RoadGraph, e: number): LonLat[] {
  const line: LonLat[] = [];
  for (let k = g.geomStart[e]; k < g.geomStart[e + 1]; k++) line.push([g.coords[k * 2], g.coords[k * 2 + 1]]);
  return line;
}

// ---- (b) node-to-node searches ---------------------------------------------------------------
const [astarEngine, engineMs] = time(() => new RoutingEngine(graph, zones));
console.log(`    engine setup (zone closures, search state, ${DEFAULT_LANDMARKS} ALT landmarks): ${ms(engineMs)}`);
report.engineSetupMs = engineMs;
const euclidEngine = new RoutingEngine(graph, zones, { landmarks: 0 });
const dijkstraEngine = new RoutingEngine(graph, zones, { heuristic: false });
const closedMask = new Uint8Array(graph.edgeCount);
for (const id of astarEngine.closedEdgeIds()) closedMask[graph.edgeIndexOf(id)] = 1;

// Random pairs that have a route under the closures (a node inside a zone has none).
const random = seededRandom(99);
const pairs: [number, number][] = [];
while (pairs.length < pairCount + 5) {
  const from = graph.nodeIds[Math.floor(random() * graph.nodeCount)];
  const to = graph.nodeIds[Math.floor(random() * graph.nodeCount)];
  try {
    astarEngine.routeBetweenNodes(from, to);
    pairs.push([from, to]);
  } catch (error) {
    if (!(error instanceof NoRouteError)) throw error;
  }
}

type Finder = (from: number, to: number) => number;
const latencies = new Map<string, number[]>();
const costsByPair: number[][] = pairs.map(() => []);
// Each finder runs over all pairs before the next starts, so one's garbage does not land in
// another's timings; the first five pairs warm the JIT up and are not timed.
const measure = (name: string, find: Finder): void => {
  const values: number[] = [];
  pairs.forEach(([from, to], i) => {
    const [cost, took] = time(() => find(from, to));
    costsByPair[i].push(cost);
    if (i >= 5) values.push(took);
  });
  latencies.set(name, values);
};
measure('CSR bidirectional ALT (A*)', (from, to) => astarEngine.routeBetweenNodes(from, to).costSeconds);
measure('CSR bidirectional A*, line', (from, to) => euclidEngine.routeBetweenNodes(from, to).costSeconds);
measure('CSR bidirectional Dijkstra', (from, to) => dijkstraEngine.routeBetweenNodes(from, to).costSeconds);

// ---- (c) full route() between positions ----------------------------------------------------
// Before ngraph is built: its 1M link objects would slow every garbage collection after it.
const routeTimes: number[] = [];
const outcomes = { found: 0, noRoute: 0, avoided: 0 };
const positionRandom = seededRandom(1234);
const position = (): LonLat => [
  minLon + positionRandom() * (maxLon - minLon),
  minLat + positionRandom() * (maxLat - minLat),
];
for (let i = 0; i < pairCount + 5; i++) {
  const request = { from: position(), to: position(), truck: { heightM: 4, weightT: 20 } };
  const start = performance.now();
  try {
    const result = astarEngine.route(request);
    outcomes.found++;
    if (result.avoidedZones.length > 0) outcomes.avoided++;
  } catch (error) {
    if (!(error instanceof NoRouteError)) throw error;
    outcomes.noRoute++;
  }
  if (i >= 5) routeTimes.push(performance.now() - start);
}
report.route = { medianMs: quantile(routeTimes, 0.5), p95Ms: quantile(routeTimes, 0.95), ...outcomes };

// ---- (b, continued) the same pairs through ngraph.path ---------------------------------------
if (!skipNgraph) {
  interface NodeData {
    x: number;
    y: number;
  }
  interface LinkData {
    cost: number;
    edge: number;
  }
  collect();
  const ngraphBefore = memoryMB();
  const [ngraph, ngraphBuildMs] = time(() => {
    const g = createGraph<NodeData, LinkData>({ multigraph: true });
    for (let v = 0; v < graph.nodeCount; v++) g.addNode(graph.nodeIds[v], { x: graph.nodeX[v], y: graph.nodeY[v] });
    for (let e = 0; e < graph.edgeCount; e++) {
      const source = graph.nodeIds[graph.edgeSource[e]];
      const target = graph.nodeIds[graph.edgeTarget[e]];
      g.addLink(source, target, { cost: graph.edgeCost[e], edge: e });
      if (graph.edgeOneway[e] === 0) g.addLink(target, source, { cost: graph.edgeCost[e], edge: e });
    }
    return g;
  });
  collect();
  const ngraphMB = memoryMB() - ngraphBefore;
  report.ngraph = { buildMs: ngraphBuildMs, memoryMB: ngraphMB };
  console.log(`    ngraph.graph build: ${ms(ngraphBuildMs)}, memory ≈ ${ngraphMB.toFixed(0)} MB`);
  const bound = graph.secondsPerMetreBound;
  const options = {
    oriented: true,
    blocked: (_a: unknown, _b: unknown, link: { data: LinkData }) => closedMask[link.data.edge] === 1,
    distance: (_a: unknown, _b: unknown, link: { data: LinkData }) => link.data.cost,
    heuristic: (a: { data: NodeData }, b: { data: NodeData }) => bound * Math.hypot(a.data.x - b.data.x, a.data.y - b.data.y),
  };
  const aStar = path.aStar(ngraph, options);
  const nba = path.nba(ngraph, options);
  // Cost of a node path: the cheapest open link between consecutive nodes (paths come back
  // from the destination to the start).
  const pathCost = (nodes: { id: string | number }[]): number => {
    if (nodes.length === 0) return Infinity;
    let cost = 0;
    for (let i = nodes.length - 1; i > 0; i--) {
      let step = Infinity;
      ngraph.forEachLinkedNode(
        nodes[i].id,
        (other, link) => {
          if (other.id === nodes[i - 1].id && closedMask[link.data.edge] === 0) step = Math.min(step, link.data.cost);
        },
        true,
      );
      cost += step;
    }
    return cost;
  };
  measure('ngraph.path aStar', (from, to) => pathCost(aStar.find(from, to)));
  measure('ngraph.path nba', (from, to) => pathCost(nba.find(from, to)));
}

let mismatches = 0;
costsByPair.forEach((costs, i) => {
  if (costs.some((cost) => Math.abs(cost - costs[0]) > 1e-9 * costs[0])) {
    mismatches++;
    console.log(`    cost mismatch ${pairs[i][0]}→${pairs[i][1]}: ${costs.join(' / ')}`);
  }
});
console.log(`(b) ${pairCount} node pairs with sealed+controlled closures (after 5 warm-up pairs):`);
const searchReport: Record<string, { medianMs: number; p95Ms: number }> = {};
for (const [name, values] of latencies) {
  searchReport[name] = { medianMs: quantile(values, 0.5), p95Ms: quantile(values, 0.95) };
  console.log(`    ${name.padEnd(28)} median ${ms(quantile(values, 0.5))}, p95 ${ms(quantile(values, 0.95))}`);
}
console.log(`    cost mismatches between algorithms: ${mismatches}`);
report.search = { pairs: pairCount, mismatches, ...searchReport };
console.log(
  `(c) route() between ${pairCount} random positions (truck 4 m / 20 t): median ${ms(quantile(routeTimes, 0.5))}, ` +
    `p95 ${ms(quantile(routeTimes, 0.95))}; found ${outcomes.found} (${outcomes.avoided} went around zones), ` +
    `no route ${outcomes.noRoute}`,
);
const usage = process.memoryUsage();
console.log(`memory: rss ${(usage.rss / 1e6).toFixed(0)} MB, heap ${(usage.heapUsed / 1e6).toFixed(0)} MB`);
console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(JSON.stringify(report));
