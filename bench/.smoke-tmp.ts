import { generateRoadNetwork } from './lib/road-network';
import { buildRoadGraph } from '../server/src/routing/graph';
const net = generateRoadNetwork();
for (let i=0;i<3;i++){ const t = performance.now(); buildRoadGraph(net.edges); console.log('build', (performance.now()-t).toFixed(0)); }
