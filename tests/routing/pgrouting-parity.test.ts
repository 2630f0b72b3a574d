/**
 * The in-process router against pgRouting: the same generated network loaded into the real
 * PostGIS roads table, the same closed edges, random origin/destination pairs — the route costs
 * must be equal to pgr_dijkstra's. Runs on PostgreSQL (TEST_DATABASE_URL) with pgRouting; CI
 * installs postgresql-15-pgrouting, so there a missing extension fails the suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import knexFactory, { type Knex } from 'knex';
import { freshDatabase } from '../helpers/server';
import { migrateLatest } from '../../server/src/db/migrate';
import { roadsRepo } from '../../server/src/roads/roads.repo';
import { routingRepo } from '../../server/src/routing/routing.repo';
import { RoutingEngine } from '../../server/src/routing/engine';
import { NoRouteError } from '../../server/src/routing/errors';
import { EDGE_COST_SQL, EDGE_REVERSE_COST_SQL } from '../../server/src/routing/graph';
import { generateRoadNetwork, generateZones, seededRandom } from '../../bench/lib/road-network';
import { needsPostgres } from '../helpers/requirements';

describe('route cost parity with pgr_dijkstra', needsPostgres, () => {
  let knex: Knex;
  let engine: RoutingEngine;
  let nodeIds: number[];
  let pgrouting = false;

  beforeAll(async () => {
    const { DATABASE_URL } = await freshDatabase('postgres');
    knex = knexFactory({ client: 'pg', connection: DATABASE_URL, pool: { min: 0, max: 2 } });
    await migrateLatest(knex);
    const available = await knex.raw(`SELECT 1 FROM pg_available_extensions WHERE name = 'pgrouting'`);
    pgrouting = available.rows.length === 1;
    if (!pgrouting) {
      if (process.env.CI === 'true') throw new Error('pgRouting is not installed (postgresql-15-pgrouting): the parity tests cannot run');
      return;
    }
    await knex.raw('CREATE EXTENSION IF NOT EXISTS pgrouting');
    const network = generateRoadNetwork({ size: 70, seed: 7 });
    await knex.transaction((trx) =>
      roadsRepo(trx).replaceAll(
        trx,
        network.edges.map((e) => ({
          source: e.source, target: e.target, name: e.name, ref: e.ref, class: e.cls, speedKmh: e.speedKmh, oneway: e.oneway,
          maxHeightM: e.maxHeightM, maxWeightT: e.maxWeightT, noTrucks: e.noTrucks, sample: true, approximate: false, coordinates: e.geometry,
        })),
      ),
    );
    // Both sides read the same rows (lengths measured once, by PostGIS).
    engine = new RoutingEngine(await routingRepo(knex).roadEdges(), generateZones(network, { count: 40, seed: 11 }));
    nodeIds = [...network.nodes.keys()];
  }, 120_000);

  afterAll(async () => {
    await knex?.destroy();
  });

  /** pgr_dijkstra's cost over the edges left open (closed ids sit in a temporary table). */
  const pgrCost = async (from: number, to: number, closed: number[]): Promise<number | null> => {
    return knex.transaction(async (trx) => {
      await trx.raw('CREATE TEMPORARY TABLE closed_edges (id bigint PRIMARY KEY) ON COMMIT DROP');
      if (closed.length) await trx.raw('INSERT INTO closed_edges SELECT unnest(?::bigint[])', [closed]);
      const edgesSql = `SELECT id, source, target, ${EDGE_COST_SQL} AS cost, ${EDGE_REVERSE_COST_SQL} AS reverse_cost
                        FROM roads WHERE id NOT IN (SELECT id FROM closed_edges)`;
      const res = await trx.raw('SELECT max(agg_cost) AS cost FROM pgr_dijkstra(?, ?::bigint, ?::bigint, true)', [edgesSql, from, to]);
      const cost = res.rows[0]?.cost;
      return cost === null || cost === undefined ? (from === to ? 0 : null) : Number(cost);
    });
  };

  const engineCost = (from: number, to: number, avoid: ('sealed' | 'controlled')[]): number | null => {
    try {
      return engine.routeBetweenNodes(from, to, { avoid }).costSeconds;
    } catch (err) {
      if (err instanceof NoRouteError) return null;
      throw err;
    }
  };

  for (const [label, avoid] of [
    ['without zones', [] as ('sealed' | 'controlled')[]],
    ['around the sealed and controlled zones', ['sealed', 'controlled'] as ('sealed' | 'controlled')[]],
  ] as const) {
    it(`gives pgr_dijkstra's cost for 40 random pairs ${label}`, async (ctx) => {
      if (!pgrouting) ctx.skip('needs the pgrouting extension on the test PostgreSQL (apt-get install postgresql-15-pgrouting)');
      const random = seededRandom(label.length);
      const closed = engine.closedEdgeIds({ avoid });
      if (avoid.length) expect(closed.length).toBeGreaterThan(0);
      let compared = 0;
      for (let i = 0; i < 40; i++) {
        const from = nodeIds[Math.floor(random() * nodeIds.length)];
        const to = nodeIds[Math.floor(random() * nodeIds.length)];
        const ours = engineCost(from, to, avoid);
        const theirs = await pgrCost(from, to, closed);
        if (theirs === null) {
          expect(ours, `pair ${from}→${to}: pgRouting finds no route`).toBeNull();
          continue;
        }
        expect(ours, `pair ${from}→${to}`).not.toBeNull();
        expect(Math.abs(ours! - theirs) / Math.max(1, theirs), `pair ${from}→${to}: ${ours} vs ${theirs}`).toBeLessThan(1e-9);
        compared++;
      }
      // Endpoints inside zones are unreachable on both sides; enough pairs must still be compared.
      expect(compared).toBeGreaterThanOrEqual(10);
    });
  }
});
