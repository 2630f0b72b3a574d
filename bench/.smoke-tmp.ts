import { generateRoadNetwork, generateZones, seededRandom } from './lib/road-network';
import { buildRoadGraph } from '../server/src/routing/graph';
import { ZoneClosures } from '../server/src/routing/zone-index';
import { PathSearch } from '../server/src/routing/search';
const net = generateRoadNetwork();
const g = buildRoadGraph(net.edges);
const zc = new ZoneClosures(g); zc.setZones(generateZones(net));
const ps = new PathSearch(g);
const rnd = seededRandom(7);
const filter = { zoneMask: zc.kindMask, avoidBits: 3, reopened: null, reopenStamp: 0, truck: false, heightM: -Infinity, weightT: -Infinity };
const stats: Record<string, {t:number[], s:number[]}> = {Dij:{t:[],s:[]}, 'A*':{t:[],s:[]}};
for (let i=0;i<60;i++){
  const a = Math.floor(rnd()*g.nodeCount), b = Math.floor(rnd()*g.nodeCount);
  for (const h of [false, true]) {
    const t = performance.now();
    const r = ps.run({ forward:[{node:a,cost:0}], backward:[{node:b,cost:0}], direct: Infinity, filter, maxSettledNodes: 5e6, heuristic: h});
    if (r.status !== 'found' || i < 5) continue;
    const k = h ? 'A*' : 'Dij'; stats[k].t.push(performance.now()-t); stats[k].s.push(r.settledNodes);
  }
}
const med = (v:number[]) => [...v].sort((a,b)=>a-b)[Math.floor(v.length/2)];
for (const [k,v] of Object.entries(stats)) console.log(k, 'n', v.t.length, 'median ms', med(v.t).toFixed(1), 'median settled', med(v.s), 'ns/settled', (1e6*v.t.reduce((a,b)=>a+b)/v.s.reduce((a,b)=>a+b)).toFixed(0));
