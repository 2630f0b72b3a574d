import { generateRoadNetwork, generateZones, seededRandom } from './lib/road-network';
import { buildRoadGraph } from '../server/src/routing/graph';
import { RoutingEngine } from '../server/src/routing/engine';
const net = generateRoadNetwork();
const g = buildRoadGraph(net.edges);
net.edges.length = 0;
const zones = generateZones(net);
const eng = new RoutingEngine(g, zones, { landmarks: 8 });
const [minLon, minLat, maxLon, maxLat] = net.bbox;
const rnd = seededRandom(1234);
const pos = (): [number, number] => [minLon + rnd() * (maxLon - minLon), minLat + rnd() * (maxLat - minLat)];
const times: number[] = [];
const run = (eng as any).search.run.bind((eng as any).search);
let searchMs = 0, searches = 0, settled = 0;
(eng as any).search.run = (input: any) => { const t = performance.now(); const r = run(input); searchMs += performance.now() - t; searches++; settled += r.settledNodes; return r; };
for (let i = 0; i < 45; i++) {
  const t = performance.now();
  try { eng.route({ from: pos(), to: pos(), truck: { heightM: 4, weightT: 20 } }); } catch (e) { console.log(String(e)); }
  if (i >= 5) times.push(performance.now() - t);
}
const total = times.reduce((a, b) => a + b);
times.sort((a, b) => a - b);
console.log('route median', times[20].toFixed(1), 'total', total.toFixed(0), 'search total', searchMs.toFixed(0), 'searches', searches, 'avg settled', (settled / searches).toFixed(0));
{
  const ps = (eng as any).search;
  const filter = { zoneMask: (eng as any).closures.kindMask, avoidBits: 3, reopened: null, reopenStamp: 0, truck: true, heightM: 4, weightT: 20 };
  const r2 = seededRandom(7);
  let ms = 0, st = 0, pushes = 0;
  for (let i = 0; i < 40; i++) {
    const a = Math.floor(r2() * g.nodeCount), b = Math.floor(r2() * g.nodeCount);
    const t0 = performance.now();
    const r = run({ forward: [{ node: a, cost: 0 }], backward: [{ node: b, cost: 0 }], direct: Infinity, filter, maxSettledNodes: 5e6, heuristic: true });
    ms += performance.now() - t0; st += r.settledNodes;
  }
  console.log('node pairs: µs/settled', (1000 * ms / st).toFixed(2), 'avg settled', (st / 40).toFixed(0));
  searchMs = 0; settled = 0; searches = 0;
  for (let i = 0; i < 40; i++) { try { eng.route({ from: pos(), to: pos(), truck: { heightM: 4, weightT: 20 } }); } catch {} }
  console.log('route searches: µs/settled', (1000 * searchMs / settled).toFixed(2), 'avg settled', (settled / searches).toFixed(0));
}
