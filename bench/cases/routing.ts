/**
 * Truck routes over the synthetic ~1,000,000-edge network with 500 zones in force: the in-process
 * routing engine against pgr_dijkstra (pgRouting) on the same roads table. pgRouting gets an edges
 * query that leaves out exactly the edges the engine closes (zones of the avoided kinds and the
 * truck's limits), so both search the same open network, and both costs are travel seconds
 * computed by the same expression (graph.ts EDGE_COST_SQL).
 */
import pg from 'pg';
import { RoutingEngine } from '../../server/src/routing/engine';
import { NoRouteError } from '../../server/src/routing/errors';
import { EDGE_COST_SQL, EDGE_REVERSE_COST_SQL, ROUTABLE_EDGE_SQL } from '../../server/src/routing/graph';
import type { LonLat } from '../../server/src/routing/geometry';
import { REFERENCE_PACKAGES, type BenchContext } from '../lib/context';
import { quantile } from '../lib/http';
import { generateRoadNetwork, generateZones, seededRandom } from '../lib/road-network';
import { atLeastTimes, below, fmt, referenceMissing, type CaseResult, type ResultRow } from '../lib/report';

const TRUCK = { truck: { heightM: 4, weightT: 20 } };

export async function routingCase(ctx: BenchContext): Promise<CaseResult> {
  const { options, log } = ctx;
  const sizes = options.sizes;
  const rows: ResultRow[] = [];
  const notes: CaseResult['notes'] = [];

  const t = performance.now();
  const network = generateRoadNetwork({ size: sizes.roadGridSide });
  const zones = generateZones(network, { count: sizes.routingZones });
  const edgeCount = network.edges.length;
  const [minLon, minLat, maxLon, maxLat] = network.bbox;
  const engine = new RoutingEngine(network.edges, zones);
  // The edge objects were only the engine's input; dropping them keeps later GC pauses out of the timings.
  network.edges.length = 0;
  const nodeIds = [...network.nodes.keys()];
  network.nodes.clear();
  const buildS = (performance.now() - t) / 1000;
  log(`  network ${edgeCount.toLocaleString('en')} edges, ${zones.length} zones; engine built in ${buildS.toFixed(1)} s`);

  const client = new pg.Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  try {
    const stored = Number((await client.query('SELECT count(*) AS n FROM roads')).rows[0].n);
    if (stored !== edgeCount) throw new Error(`the roads table holds ${stored} edges, the generated network ${edgeCount}: not the same network`);

    // Node pairs with a route under the truck's closures (a node inside a zone has none).
    const random = seededRandom(99);
    const pairs: [number, number][] = [];
    for (let tries = 0; pairs.length < sizes.routePairs + 5 && tries < sizes.routePairs * 50; tries++) {
      const from = nodeIds[Math.floor(random() * nodeIds.length)];
      const to = nodeIds[Math.floor(random() * nodeIds.length)];
      try {
        engine.routeBetweenNodes(from, to, TRUCK);
        pairs.push([from, to]);
      } catch (err) {
        if (!(err instanceof NoRouteError)) throw err;
      }
    }
    // Timed after five warm-up pairs.
    const engineMs: number[] = [];
    const engineCost: number[] = [];
    pairs.forEach(([from, to], i) => {
      const t0 = performance.now();
      const path = engine.routeBetweenNodes(from, to, TRUCK);
      if (i >= 5) engineMs.push(performance.now() - t0);
      engineCost.push(path.costSeconds);
    });
    // The full request of POST /api/routes: positions snapped to roads, zones opened around them.
    const positionRandom = seededRandom(1234);
    const position = (): LonLat => [minLon + positionRandom() * (maxLon - minLon), minLat + positionRandom() * (maxLat - minLat)];
    const routeMs: number[] = [];
    let noRoute = 0;
    for (let i = 0; i < sizes.routePairs + 5; i++) {
      const t0 = performance.now();
      try {
        engine.route({ from: position(), to: position(), ...TRUCK });
      } catch (err) {
        if (!(err instanceof NoRouteError)) throw err;
        noRoute++;
      }
      if (i >= 5) routeMs.push(performance.now() - t0);
    }
    const p50 = quantile(engineMs, 0.5);
    const p95 = quantile(engineMs, 0.95);
    const name = `truck route, ${edgeCount.toLocaleString('en')}-edge network, ${zones.length} zones in force (node to node)`;
    const project = `p50 ${fmt(p50, 'ms')}, p95 ${fmt(p95, 'ms')} (${pairs.length - 5} pairs)`;

    if (!ctx.references.pgrouting || !(await client.query(`SELECT 1 FROM pg_extension WHERE extname = 'pgrouting'`)).rowCount) {
      log(`  pgRouting missing: ${REFERENCE_PACKAGES}`);
      rows.push(referenceMissing({ case: name, project, goal: '≥ 20× faster than pgr_dijkstra' }, `install postgresql-15-pgrouting: ${REFERENCE_PACKAGES}`));
    } else {
      // The engine's closed edges, as a table pgRouting's edges query can leave out.
      const closed = engine.closedEdgeIds(TRUCK);
      await client.query('DROP TABLE IF EXISTS bench_closed_edges');
      await client.query('CREATE TABLE bench_closed_edges (id bigint PRIMARY KEY)');
      await client.query('INSERT INTO bench_closed_edges SELECT unnest($1::bigint[])', [closed]);
      await client.query('ANALYZE bench_closed_edges');
      const edgesSql = `SELECT id, source, target, ${EDGE_COST_SQL} AS cost, ${EDGE_REVERSE_COST_SQL} AS reverse_cost
                        FROM roads WHERE ${ROUTABLE_EDGE_SQL} AND id NOT IN (SELECT id FROM bench_closed_edges)`;
      const pgrMs: number[] = [];
      let mismatches = 0;
      const compared = Math.min(sizes.pgRoutingPairs, pairs.length);
      for (let i = 0; i < compared; i++) {
        const [from, to] = pairs[i];
        log(`  pgr_dijkstra ${i + 1}/${compared} …`);
        const t0 = performance.now();
        const res = await client.query(`SELECT agg_cost FROM pgr_dijkstra($1, $2::bigint, $3::bigint, directed => true) ORDER BY seq DESC LIMIT 1`, [edgesSql, from, to]);
        pgrMs.push(performance.now() - t0);
        const cost = res.rows[0] ? Number(res.rows[0].agg_cost) : Infinity;
        if (!(Math.abs(cost - engineCost[i]) <= 1e-9 * Math.max(1, engineCost[i]))) {
          mismatches++;
          notes.push({ case: name, text: `cost differs for ${from}→${to}: engine ${engineCost[i]} s, pgr_dijkstra ${cost} s` });
        }
      }
      const refP50 = quantile(pgrMs, 0.5);
      rows.push({
        case: name,
        project,
        reference: `pgr_dijkstra (pgRouting), same open edges: p50 ${fmt(refP50, 'ms')}, p95 ${fmt(quantile(pgrMs, 0.95), 'ms')} (${compared} pairs)`,
        goal: '≥ 20× faster (p50)',
        ...atLeastTimes(refP50, p50, 20),
      });
      rows.push({
        case: 'truck route: equal cost',
        project: `${compared - mismatches} of ${compared} pairs equal`,
        reference: 'pgr_dijkstra agg_cost',
        ratio: '—',
        goal: 'equal cost',
        met: mismatches === 0,
        margin: mismatches === 0 ? 'met (within 1e-9 relative)' : `not met: ${mismatches} pairs differ`,
      });
      notes.push({ case: name, text: `${closed.length.toLocaleString('en')} edges closed by the zones and the truck's limits (4 m, 20 t); pgRouting reads and builds the whole open network on every call.` });
    }
    // The latency goals apply to what a coordinator waits for: the whole route between positions.
    const routeP50 = quantile(routeMs, 0.5);
    const routeP95 = quantile(routeMs, 0.95);
    const whole = `route() between ${routeMs.length} random positions (snapping, zones opened around start and destination, a search ignoring zones, then one around them)`;
    rows.push({ case: `truck route: p50 of ${whole}`, project: `p50 ${fmt(routeP50, 'ms')}`, reference: '—', ratio: '—', goal: 'p50 < 100 ms', ...below(routeP50, 100, 'ms') });
    rows.push({ case: 'truck route: p95 of the same', project: `p95 ${fmt(routeP95, 'ms')}`, reference: '—', ratio: '—', goal: 'p95 < 300 ms', ...below(routeP95, 300, 'ms') });
    notes.push({
      case: name,
      text: `${noRoute} of ${routeMs.length + 5} position pairs had no route. The engine (CSR graph, zone closures) was built from the generated edges in ${fmt(buildS, 's')}; ` +
        'measured in the bench process (POST /api/routes runs the same engine in the service).',
    });
  } finally {
    await client.query('DROP TABLE IF EXISTS bench_closed_edges').catch(() => undefined);
    await client.end();
  }
  return { rows, notes };
}
