/**
 * Truck routing around risk zones, in process: snapping, zone closures, truck limits, and an exact
 * shortest-path search on the CSR graph (graph.ts, search.ts).
 *
 * Why our own search rather than ngraph.path: bench/routing-engine.ts measured both on the same
 * SYNTHETIC network (999,466 edges, 509,795 junctions, 500 zones closing 50,178 edges), 50 random
 * junction pairs, same closures, all four algorithms returning the same cost on every pair. On
 * this 2-core machine while other jobs kept its load average at 5–14 (so absolute times are high):
 *
 *   search                                   median     p95
 *   ngraph.path aStar (same bound, oriented)   875–1551   3965–9101 ms
 *   ngraph.path nba                            393–1468   2770–7107 ms
 *   CSR bidirectional Dijkstra                  44–59       134–186 ms
 *   CSR bidirectional A*, straight-line bound   32–40       161–175 ms
 *   CSR bidirectional ALT (8 landmarks)         10–12        64–80 ms   ← used
 *
 * ngraph also needs 700 MB and 9–27 s to hold the graph as objects, against 250–260 MB and
 * 2.2–5.4 s for the CSR arrays. The library is the bottleneck (40–130 times slower at the
 * median), so the search is our own. A full `route()` (snapping, a search ignoring zones, then one
 * respecting them) took a median of 85 ms (p95 377–471 ms) between random positions in the same
 * runs; setting up the engine (zone closures, 8 landmarks) took 2.8–3.4 s.
 */
import { edgeDisplayName, buildRoadGraph, type RoadEdge, type RoadGraph } from './graph';
import type { LonLat } from './geometry';
import { NoRouteError, RouteBudgetError } from './errors';
import { computeLandmarks } from './landmarks';
import { PathSearch, truckLimitsCloseEdge, zoneClosesEdge, type ArcFilter, type SearchResult, type Seed } from './search';
import { snapToRoad, type SnappedPosition } from './snap';
import {
  DEFAULT_AVOIDED_KINDS,
  ZONE_KINDS,
  ZoneClosures,
  kindBit,
  kindBits,
  zoneRef,
  type AvoidedZone,
  type ZoneClosure,
  type ZoneKind,
  type ZoneRef,
  type ZoneUpdateSummary,
} from './zone-index';

/** Vehicle dimensions; giving this object at all makes the vehicle a truck (noTrucks applies). */
export interface TruckLimits {
  heightM?: number;
  weightT?: number;
}

/** Closures that apply to one request. */
export interface ClosureOptions {
  /**
   * Zone kinds the route must avoid.
   * @defaultValue ['sealed', 'controlled']
   */
  avoid?: readonly ZoneKind[];
  /** the vehicle, when it is a truck */
  truck?: TruckLimits;
}

/** A route request between two positions. */
export interface RouteRequest extends ClosureOptions {
  from: LonLat;
  to: LonLat;
  /**
   * Largest number of road junctions one search may settle.
   * @defaultValue the engine's `maxSettledNodes`
   */
  maxSettledNodes?: number;
}

/** Where a requested position was snapped to. */
export interface SnappedPoint {
  point: LonLat;
  requested: LonLat;
  edgeId: number;
  fraction: number;
  distanceMeters: number;
}

/** A zone the route enters although its kind is avoided, and why. */
export interface EnteredZone extends ZoneRef {
  reason: string;
}

/** A computed route. */
export interface RouteResult {
  coordinates: LonLat[];
  distanceMeters: number;
  durationSeconds: number;
  /** the optimised cost: travel time in seconds (graph.ts `edgeCostSeconds`) */
  costSeconds: number;
  /** edges driven, in order, including the partly driven first and last edge */
  edgeIds: number[];
  /** names (or refs) of the roads in order, consecutive repeats merged, unnamed roads skipped */
  roadNames: string[];
  /** zones whose closures changed the route: they close an edge of the route that ignores zones */
  avoidedZones: ZoneRef[];
  /** zones the route enters because the start or destination lies inside them */
  enteredZones: EnteredZone[];
  snappedFrom: SnappedPoint;
  snappedTo: SnappedPoint;
}

/** Cost and edges of a node-to-node shortest path (for comparisons with pgr_dijkstra). */
export interface NodePath {
  costSeconds: number;
  edgeIds: number[];
}

/** Engine settings. */
export interface RoutingEngineOptions {
  /**
   * Default search budget: settled road junctions per search, both directions together.
   * @defaultValue 2_000_000
   */
  maxSettledNodes?: number;
  /**
   * Guide the search with lower bounds (A*); results are identical either way, only the work
   * differs.
   * @defaultValue true
   */
  heuristic?: boolean;
  /**
   * Landmarks for the ALT bounds, measured when the roads are set (2 + 2 × n one-to-all
   * searches: about 0.1 s each on a 1M-edge network). 0 leaves only the straight-line bound.
   * @defaultValue 8
   */
  landmarks?: number;
}

/** Default number of ALT landmarks. */
export const DEFAULT_LANDMARKS = 8;

/**
 * How much farther than the nearest road (which a zone closes) an open road may be and still be
 * taken as the start or destination: a few hundred metres is a walk to the gate, kilometres are
 * a different place.
 */
export const SNAP_DETOUR_M = 500;

/** Default search budget, enough to settle every junction of a 1M-edge city network. */
export const DEFAULT_MAX_SETTLED_NODES = 2_000_000;

const KIND_LABEL: Record<ZoneKind, string> = {
  sealed: 'sealed zone (封控区)',
  controlled: 'controlled zone (管控区)',
  precaution: 'precaution zone (防范区)',
};

/** How the route gets from a snapped position onto the graph, or from the graph to it. */
interface Anchor extends Seed {
  /** which end of the snapped edge the seed node is */
  end: 'source' | 'target';
  /** the share of the edge driven between the position and the node */
  share: number;
}

interface PreparedRequest {
  filter: ArcFilter;
  unconstrained: ArcFilter;
  opened: { zone: ZoneClosure; atOrigin: boolean; atDestination: boolean }[];
  from: SnappedPosition;
  to: SnappedPosition;
  starts: Anchor[];
  ends: Anchor[];
  direct: number;
  maxSettledNodes: number;
}

/**
 * Routes trucks over one road network around the zones in force. Replace the roads with
 * {@link RoutingEngine.setRoads} (a full rebuild) and the zones with
 * {@link RoutingEngine.setZones} (only changed zones are recomputed).
 */
export class RoutingEngine {
  private roads: RoadGraph;
  private closures: ZoneClosures;
  private search: PathSearch;
  private reopened: Uint32Array;
  private reopenStamp = 0;
  private readonly maxSettledNodes: number;
  private readonly heuristic: boolean;
  private readonly landmarkCount: number;

  constructor(roads: readonly RoadEdge[] | RoadGraph, zones: readonly AvoidedZone[] = [], options: RoutingEngineOptions = {}) {
    this.maxSettledNodes = options.maxSettledNodes ?? DEFAULT_MAX_SETTLED_NODES;
    this.heuristic = options.heuristic ?? true;
    this.landmarkCount = this.heuristic ? (options.landmarks ?? DEFAULT_LANDMARKS) : 0;
    this.roads = Array.isArray(roads) ? buildRoadGraph(roads as readonly RoadEdge[]) : (roads as RoadGraph);
    this.closures = new ZoneClosures(this.roads);
    this.closures.setZones(zones);
    this.search = new PathSearch(this.roads, computeLandmarks(this.roads, this.landmarkCount));
    this.reopened = new Uint32Array(this.roads.edgeCount);
  }

  /** The current road graph. */
  get graph(): RoadGraph {
    return this.roads;
  }

  /** The current zone closures. */
  get zoneClosures(): ZoneClosures {
    return this.closures;
  }

  /** Replaces the road network (a rebuild); the zones in force are re-applied to it. */
  setRoads(roads: readonly RoadEdge[] | RoadGraph): void {
    const zones = this.closures.all().map((closure) => closure.zone);
    this.roads = Array.isArray(roads) ? buildRoadGraph(roads as readonly RoadEdge[]) : (roads as RoadGraph);
    this.closures = new ZoneClosures(this.roads);
    this.closures.setZones(zones);
    this.search = new PathSearch(this.roads, computeLandmarks(this.roads, this.landmarkCount));
    this.reopened = new Uint32Array(this.roads.edgeCount);
    this.reopenStamp = 0;
  }

  /** Makes `zones` the zones in force; only new, removed or changed zones are recomputed. */
  setZones(zones: readonly AvoidedZone[]): ZoneUpdateSummary {
    return this.closures.setZones(zones);
  }

  /** Snaps a position to the nearest road open under `options`. */
  snap(point: LonLat, options: ClosureOptions = {}): SnappedPosition | null {
    const filter = this.arcFilter(options, false);
    return snapToRoad(this.roads, point, (e) => !this.closes(filter, e));
  }

  /** Ids of the edges closed under `options`: zones of the avoided kinds and the truck's limits. */
  closedEdgeIds(options: ClosureOptions = {}): number[] {
    const filter = this.arcFilter(options, false);
    const ids: number[] = [];
    for (let e = 0; e < this.roads.edgeCount; e++) if (this.closes(filter, e)) ids.push(this.roads.edgeIds[e]);
    return ids;
  }

  /**
   * Shortest path between two road nodes (original node ids) under `options`, with the cost summed
   * along the path from the start like `pgr_dijkstra`'s `agg_cost`.
   */
  routeBetweenNodes(fromNodeId: number, toNodeId: number, options: ClosureOptions & { maxSettledNodes?: number } = {}): NodePath {
    const from = this.roads.nodeIndexOf(fromNodeId);
    const to = this.roads.nodeIndexOf(toNodeId);
    if (from < 0 || to < 0) {
      throw new NoRouteError('Start or destination node is not on the road network', {
        reason: 'no_open_road',
        blockingZones: [],
      });
    }
    const maxSettledNodes = options.maxSettledNodes ?? this.maxSettledNodes;
    const result = this.runSearch({
      forward: [{ node: from, cost: 0 }],
      backward: [{ node: to, cost: 0 }],
      direct: Infinity,
      filter: this.arcFilter(options, false),
      maxSettledNodes,
      heuristic: this.heuristic,
    });
    if (result.status === 'unreachable') {
      throw new NoRouteError('No route between the two nodes', { reason: 'not_connected', blockingZones: [] });
    }
    let costSeconds = 0;
    for (const ref of result.path) costSeconds += this.roads.edgeCost[ref < 0 ? ~ref : ref];
    return { costSeconds, edgeIds: result.path.map((ref) => this.roads.edgeIds[ref < 0 ? ~ref : ref]) };
  }

  /**
   * The fastest route between two positions that respects the avoided zones and the truck's
   * limits. A start or destination inside an avoided zone opens that zone (and only it).
   * @throws NoRouteError when no way exists; RouteBudgetError when the search budget runs out
   */
  route(request: RouteRequest): RouteResult {
    const prepared = this.prepare(request);
    const { filter, unconstrained } = prepared;

    // First ignore the zones: if that route meets no closed zone it is also the answer, and if
    // not it tells which zones the route had to go around.
    const free = this.searchBetween(prepared, unconstrained);
    if (free.status === 'unreachable') {
      throw new NoRouteError('No road connects the start and the destination for this vehicle', {
        reason: 'not_connected',
        blockingZones: [],
      });
    }
    const freeEdges = this.pathEdges(prepared, free);
    const freeIsOpen = freeEdges.every((e) => !zoneClosesEdge(filter, e));
    if (freeIsOpen) return this.describe(prepared, free, []);

    const openedIds = new Set(prepared.opened.map(({ zone }) => zone.zone.id));
    const avoided = new Map<string, ZoneRef>();
    for (const e of freeEdges) {
      if (!zoneClosesEdge(filter, e)) continue;
      for (const closure of this.closures.zonesClosingEdge(e, filter.avoidBits)) {
        if (!openedIds.has(closure.zone.id)) avoided.set(closure.zone.id, zoneRef(closure.zone));
      }
    }

    const constrained = this.searchBetween(prepared, filter);
    if (constrained.status === 'unreachable') {
      const side = constrained.exhausted as 'forward' | 'backward';
      const blocking = new Map<string, ZoneRef>();
      for (const e of this.search.zoneClosedCut(side, filter)) {
        for (const closure of this.closures.zonesClosingEdge(e, filter.avoidBits)) {
          if (!openedIds.has(closure.zone.id)) blocking.set(closure.zone.id, zoneRef(closure.zone));
        }
      }
      const blockingZones = [...blocking.values()];
      throw new NoRouteError(
        `Every way is closed by ${blockingZones.length === 1 ? 'zone' : 'zones'} ${blockingZones.map((z) => `"${z.name}"`).join(', ')}`,
        { reason: 'blocked_by_zones', blockingZones },
      );
    }
    return this.describe(prepared, constrained, [...avoided.values()]);
  }

  private closes(filter: ArcFilter, e: number): boolean {
    return zoneClosesEdge(filter, e) || truckLimitsCloseEdge(this.roads, filter, e);
  }

  private arcFilter(options: ClosureOptions, withReopened: boolean): ArcFilter {
    const truck = options.truck;
    return {
      zoneMask: this.closures.kindMask,
      avoidBits: kindBits(options.avoid ?? DEFAULT_AVOIDED_KINDS),
      reopened: withReopened ? this.reopened : null,
      reopenStamp: withReopened ? this.reopenStamp : 0,
      truck: truck !== undefined,
      heightM: truck?.heightM ?? -Infinity,
      weightT: truck?.weightT ?? -Infinity,
    };
  }

  // Opens, for this request, the edges closed only by the zones that contain the start or the
  // destination: the delivery may enter its own zone, every other avoided zone stays closed.
  private reopen(opened: ZoneClosure[], avoidBits: number): void {
    if (++this.reopenStamp === 0xffffffff) {
      this.reopened.fill(0);
      this.reopenStamp = 1;
    }
    const stamp = this.reopenStamp;
    const counted = opened.filter((closure) => (closure.bit & avoidBits) !== 0);
    const avoidedKinds = ZONE_KINDS.filter((kind) => (kindBit(kind) & avoidBits) !== 0);
    for (const closure of counted) {
      for (const e of closure.closedEdges) {
        if (this.reopened[e] === stamp) continue;
        let closing = 0;
        for (const kind of avoidedKinds) closing += this.closures.closingCount(kind, e);
        for (const other of counted) if (includesSorted(other.closedEdges, e)) closing--;
        if (closing === 0) this.reopened[e] = stamp;
      }
    }
  }

  /**
   * Snaps a route's end to the nearest road this vehicle may use. When that road is closed by an
   * avoided zone, an open road is taken instead only if it is barely farther (SNAP_DETOUR_M);
   * otherwise the zone cuts the place off, and the coordinator is told which zone, rather than
   * being routed to some other road kilometres away.
   */
  private snapEnd(point: LonLat, filter: ArcFilter): SnappedPosition {
    const isOpen = (e: number): boolean => !this.closes(filter, e);
    const open = snapToRoad(this.roads, point, isOpen);
    const nearest = snapToRoad(this.roads, point, (e) => !truckLimitsCloseEdge(this.roads, filter, e));
    if (nearest === null) throw new NoRouteError('No road this vehicle may use near the start or destination', { reason: 'no_open_road', blockingZones: [] });
    if (open !== null && (open.edge === nearest.edge || open.distanceMeters - nearest.distanceMeters <= SNAP_DETOUR_M)) return open;
    const blockingZones = this.closures.zonesClosingEdge(nearest.edge, filter.avoidBits).map((closure) => zoneRef(closure.zone));
    throw new NoRouteError(
      `The road nearest to [${point.join(', ')}] is closed by ${blockingZones.map((z) => `"${z.name}"`).join(', ')}`,
      { reason: 'blocked_by_zones', blockingZones },
    );
  }

  private prepare(request: RouteRequest): PreparedRequest {
    const avoidBits = kindBits(request.avoid ?? DEFAULT_AVOIDED_KINDS);
    const atOrigin = this.closures.zonesContaining(request.from[0], request.from[1], avoidBits);
    const atDestination = this.closures.zonesContaining(request.to[0], request.to[1], avoidBits);
    const openedById = new Map<string, { zone: ZoneClosure; atOrigin: boolean; atDestination: boolean }>();
    for (const zone of atOrigin) openedById.set(zone.zone.id, { zone, atOrigin: true, atDestination: false });
    for (const zone of atDestination) {
      const known = openedById.get(zone.zone.id);
      if (known) known.atDestination = true;
      else openedById.set(zone.zone.id, { zone, atOrigin: false, atDestination: true });
    }
    const opened = [...openedById.values()];
    this.reopen(
      opened.map(({ zone }) => zone),
      avoidBits,
    );
    const filter = this.arcFilter(request, opened.length > 0);
    const unconstrained: ArcFilter = { ...filter, zoneMask: null };

    const from = this.snapEnd(request.from, filter);
    const to = this.snapEnd(request.to, filter);

    const g = this.roads;
    const starts: Anchor[] = [];
    const ends: Anchor[] = [];
    {
      const e = from.edge;
      const f = from.fraction;
      // Forwards along the edge is always allowed; backwards only on a two-way road, or when the
      // position is the source node itself.
      starts.push({ node: g.edgeTarget[e], cost: (1 - f) * g.edgeCost[e], end: 'target', share: 1 - f });
      if (f === 0 || g.edgeOneway[e] === 0) starts.push({ node: g.edgeSource[e], cost: f * g.edgeCost[e], end: 'source', share: f });
    }
    {
      const e = to.edge;
      const f = to.fraction;
      ends.push({ node: g.edgeSource[e], cost: f * g.edgeCost[e], end: 'source', share: f });
      if (f === 1 || g.edgeOneway[e] === 0) ends.push({ node: g.edgeTarget[e], cost: (1 - f) * g.edgeCost[e], end: 'target', share: 1 - f });
    }
    let direct = Infinity;
    if (from.edge === to.edge) {
      const e = from.edge;
      if (to.fraction >= from.fraction) direct = (to.fraction - from.fraction) * g.edgeCost[e];
      else if (g.edgeOneway[e] === 0) direct = (from.fraction - to.fraction) * g.edgeCost[e];
    }
    return {
      filter,
      unconstrained,
      opened,
      from,
      to,
      starts,
      ends,
      direct,
      maxSettledNodes: request.maxSettledNodes ?? this.maxSettledNodes,
    };
  }

  private runSearch(input: Parameters<PathSearch['run']>[0]): SearchResult {
    const result = this.search.run(input);
    if (result.status === 'budget') throw new RouteBudgetError({ maxSettledNodes: input.maxSettledNodes });
    return result;
  }

  private searchBetween(prepared: PreparedRequest, filter: ArcFilter): SearchResult {
    return this.runSearch({
      forward: prepared.starts,
      backward: prepared.ends,
      direct: prepared.direct,
      filter,
      maxSettledNodes: prepared.maxSettledNodes,
      heuristic: this.heuristic,
    });
  }

  private chooseAnchor(anchors: Anchor[], node: number): Anchor {
    let chosen: Anchor | null = null;
    for (const anchor of anchors) {
      if (anchor.node === node && (chosen === null || anchor.cost < chosen.cost)) chosen = anchor;
    }
    return chosen as Anchor;
  }

  // Edge indexes the route drives, in order, including the partly driven first and last edge.
  private pathEdges(prepared: PreparedRequest, result: SearchResult): number[] {
    if (result.direct) return [prepared.from.edge];
    const edges: number[] = [];
    const start = this.chooseAnchor(prepared.starts, result.forwardSeedNode);
    const end = this.chooseAnchor(prepared.ends, result.backwardSeedNode);
    if (start.share > 0) edges.push(prepared.from.edge);
    for (const ref of result.path) edges.push(ref < 0 ? ~ref : ref);
    if (end.share > 0) edges.push(prepared.to.edge);
    return edges;
  }

  private describe(prepared: PreparedRequest, result: SearchResult, avoidedZones: ZoneRef[]): RouteResult {
    const g = this.roads;
    const { from, to } = prepared;
    const coordinates: LonLat[] = [from.point];
    const push = (lon: number, lat: number): void => {
      const last = coordinates[coordinates.length - 1];
      if (last[0] !== lon || last[1] !== lat) coordinates.push([lon, lat]);
    };
    const vertex = (e: number, k: number): void => {
      const p = g.geomStart[e] + k;
      push(g.coords[p * 2], g.coords[p * 2 + 1]);
    };
    const vertexCount = (e: number): number => g.geomStart[e + 1] - g.geomStart[e];

    const edges: number[] = [];
    const shares: number[] = [];
    let costSeconds = 0;
    if (result.direct) {
      const e = from.edge;
      if (to.fraction >= from.fraction) for (let k = from.segment + 1; k <= to.segment; k++) vertex(e, k);
      else for (let k = from.segment; k > to.segment; k--) vertex(e, k);
      edges.push(e);
      shares.push(Math.abs(to.fraction - from.fraction));
      costSeconds = prepared.direct;
    } else {
      const start = this.chooseAnchor(prepared.starts, result.forwardSeedNode);
      const end = this.chooseAnchor(prepared.ends, result.backwardSeedNode);
      const first = from.edge;
      if (start.end === 'target') for (let k = from.segment + 1; k < vertexCount(first); k++) vertex(first, k);
      else for (let k = from.segment; k >= 0; k--) vertex(first, k);
      if (start.share > 0) {
        edges.push(first);
        shares.push(start.share);
      }
      // Summed from the start in travel order, as pgr_dijkstra accumulates agg_cost.
      costSeconds = start.cost;
      for (const ref of result.path) {
        const e = ref < 0 ? ~ref : ref;
        const n = vertexCount(e);
        if (ref >= 0) for (let k = 1; k < n; k++) vertex(e, k);
        else for (let k = n - 2; k >= 0; k--) vertex(e, k);
        edges.push(e);
        shares.push(1);
        costSeconds += g.edgeCost[e];
      }
      const last = to.edge;
      if (end.end === 'source') for (let k = 1; k <= to.segment; k++) vertex(last, k);
      else for (let k = vertexCount(last) - 2; k > to.segment; k--) vertex(last, k);
      if (end.share > 0) {
        edges.push(last);
        shares.push(end.share);
      }
      costSeconds += end.cost;
    }
    push(to.point[0], to.point[1]);
    if (coordinates.length === 1) coordinates.push([to.point[0], to.point[1]]);

    let distanceMeters = 0;
    const roadNames: string[] = [];
    edges.forEach((e, i) => {
      distanceMeters += shares[i] * g.edgeLengthM[e];
      const name = edgeDisplayName(g, e);
      if (name !== null && roadNames[roadNames.length - 1] !== name) roadNames.push(name);
    });

    const enteredZones: EnteredZone[] = [];
    for (const { zone, atOrigin, atDestination } of prepared.opened) {
      // Listed only when the route really drives one of the zone's roads: a start inside a zone
      // whose nearest road runs outside it enters nothing.
      if (!edges.some((e) => includesSorted(zone.closedEdges, e))) continue;
      enteredZones.push({ ...zoneRef(zone.zone), reason: enteredReason(zone.zone, atOrigin, atDestination) });
    }

    return {
      coordinates,
      distanceMeters,
      durationSeconds: costSeconds,
      costSeconds,
      edgeIds: edges.map((e) => g.edgeIds[e]),
      roadNames,
      avoidedZones,
      enteredZones,
      snappedFrom: snappedPoint(from),
      snappedTo: snappedPoint(to),
    };
  }
}

function enteredReason(zone: AvoidedZone, atOrigin: boolean, atDestination: boolean): string {
  const what = `${KIND_LABEL[zone.kind]} "${zone.name}"`;
  if (atOrigin && atDestination) {
    return `Both the start and the destination lie inside the ${what}; the route may drive inside it.`;
  }
  if (atOrigin) return `The start lies inside the ${what}; the route leaves it by the shortest way.`;
  return `The destination lies inside the ${what}; the route enters it by the shortest way to make the delivery.`;
}

function snappedPoint(position: SnappedPosition): SnappedPoint {
  return {
    point: position.point,
    requested: position.requested,
    edgeId: position.edgeId,
    fraction: position.fraction,
    distanceMeters: position.distanceMeters,
  };
}

function includesSorted(sorted: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === value) return true;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
