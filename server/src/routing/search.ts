/**
 * Exact shortest-path search over the CSR road graph: bidirectional Dijkstra, optionally guided by
 * lower bounds (A*): the straight-line time at the graph's fastest seconds-per-metre, and the
 * landmark (ALT) bounds from landmarks.ts.
 *
 * With bounds the two searches use the average potential πf = (ht − hs) / 2, πb = −πf
 * (Ikeda et al. 1994; Goldberg & Harrelson 2005), where ht bounds the time to the destination and
 * hs the time from the start. Both searches then run Dijkstra on the same non-negative reduced
 * costs, so the usual stopping rule (top forward key + top backward key ≥ best meeting cost)
 * stays exact; without bounds it is plain bidirectional Dijkstra. Either way the result is a true
 * shortest path, the same cost as `pgr_dijkstra` over the same arcs.
 *
 * Searching from both ends also makes "no route" cheap when one end is fenced in: that side runs
 * out of nodes after exploring only its small enclosed area.
 */
import FlatQueue from 'flatqueue';
import type { RoadGraph } from './graph';
import type { Landmarks } from './landmarks';

/** Landmarks consulted per search. */
const ACTIVE_LANDMARKS = 4;

/** A node the search starts from (or must reach), with the cost of getting there. */
export interface Seed {
  node: number;
  cost: number;
}

/**
 * Which arcs are closed for one request. The search reads it into locals; it never calls out per
 * arc.
 */
export interface ArcFilter {
  /** closure bits per edge (ZoneClosures.kindMask), or null to ignore zones */
  zoneMask: Uint8Array | null;
  /** kinds whose closures apply */
  avoidBits: number;
  /** edges re-opened for this request are those with `reopened[e] === reopenStamp` */
  reopened: Uint32Array | null;
  reopenStamp: number;
  /** whether truck limits apply at all (noTrucks closes an edge only for trucks) */
  truck: boolean;
  /** vehicle height; −Infinity when not given */
  heightM: number;
  /** vehicle weight; −Infinity when not given */
  weightT: number;
}

/** Whether a zone closure in `filter` closes edge e. */
export function zoneClosesEdge(filter: ArcFilter, e: number): boolean {
  return (
    filter.zoneMask !== null &&
    (filter.zoneMask[e] & filter.avoidBits) !== 0 &&
    (filter.reopened === null || filter.reopened[e] !== filter.reopenStamp)
  );
}

/** Whether the truck limits in `filter` close edge e. */
export function truckLimitsCloseEdge(graph: RoadGraph, filter: ArcFilter, e: number): boolean {
  return (
    filter.truck &&
    (graph.edgeNoTrucks[e] === 1 || graph.edgeMaxHeightM[e] < filter.heightM || graph.edgeMaxWeightT[e] < filter.weightT)
  );
}

/** What to search for. */
export interface SearchInput {
  /** start nodes with the cost of reaching them from the start position */
  forward: readonly Seed[];
  /** nodes from which the destination is reached, with the cost from there */
  backward: readonly Seed[];
  /** cost of going straight from start to destination along one shared edge, or Infinity */
  direct: number;
  filter: ArcFilter;
  /** stop with status 'budget' once more nodes than this are settled (both directions together) */
  maxSettledNodes: number;
  /** use the lower bounds (A*); off = bidirectional Dijkstra */
  heuristic: boolean;
}

/** How a search ended. */
export type SearchStatus = 'found' | 'unreachable' | 'budget';

/** Result of one search. */
export interface SearchResult {
  status: SearchStatus;
  /** optimal cost when found, as the search summed it */
  cost: number;
  /** true when the best way is the direct one along the shared edge */
  direct: boolean;
  /** edge refs (e, or ~e when driven target→source) between the two seeds, in travel order */
  path: number[];
  /** the forward seed node the path leaves from, −1 when direct */
  forwardSeedNode: number;
  /** the backward seed node the path arrives at, −1 when direct */
  backwardSeedNode: number;
  settledNodes: number;
  /** for 'unreachable': the direction that ran out of nodes, whose settled set is complete */
  exhausted: 'forward' | 'backward' | null;
}

/**
 * Reusable search state for one graph. Scratch arrays are allocated once and invalidated by a
 * generation stamp, so a query costs only what it explores. Not re-entrant (a search runs to the
 * end synchronously).
 */
export class PathSearch {
  private generation = 0;
  private readonly distF: Float64Array;
  private readonly distB: Float64Array;
  private readonly seenF: Uint32Array;
  private readonly seenB: Uint32Array;
  private readonly doneF: Uint32Array;
  private readonly doneB: Uint32Array;
  private readonly parentNodeF: Int32Array;
  private readonly parentEdgeF: Int32Array;
  private readonly parentNodeB: Int32Array;
  private readonly parentEdgeB: Int32Array;
  private readonly potential: Float64Array;
  private readonly potentialSeen: Uint32Array;
  private readonly settledF: Int32Array;
  private readonly settledB: Int32Array;
  private settledCountF = 0;
  private settledCountB = 0;
  private queueF: FlatQueue<number>;
  private queueB: FlatQueue<number>;

  constructor(
    readonly graph: RoadGraph,
    private readonly landmarks: Landmarks | null = null,
  ) {
    const n = graph.nodeCount;
    this.distF = new Float64Array(n);
    this.distB = new Float64Array(n);
    this.seenF = new Uint32Array(n);
    this.seenB = new Uint32Array(n);
    this.doneF = new Uint32Array(n);
    this.doneB = new Uint32Array(n);
    this.parentNodeF = new Int32Array(n);
    this.parentEdgeF = new Int32Array(n);
    this.parentNodeB = new Int32Array(n);
    this.parentEdgeB = new Int32Array(n);
    this.potential = new Float64Array(n);
    this.potentialSeen = new Uint32Array(n);
    this.settledF = new Int32Array(n);
    this.settledB = new Int32Array(n);
    this.queueF = this.createQueue(0);
    this.queueB = this.createQueue(0);
  }

  // Fixed-capacity queues on typed arrays: no garbage per query. With lazy deletion a queue
  // receives at most one entry per arc relaxation plus one per seed.
  private createQueue(seeds: number): FlatQueue<number> {
    return new FlatQueue<number>(this.graph.outHead.length + Math.max(seeds, 16), Float64Array, Uint32Array);
  }

  private nextGeneration(): number {
    if (this.generation === 0xffffffff) {
      for (const stamps of [this.seenF, this.seenB, this.doneF, this.doneB, this.potentialSeen]) stamps.fill(0);
      this.generation = 0;
    }
    return ++this.generation;
  }

  /** Runs one search. */
  run(input: SearchInput): SearchResult {
    const graph = this.graph;
    const gen = this.nextGeneration();
    const { distF, distB, seenF, seenB, doneF, doneB, parentNodeF, parentEdgeF, parentNodeB, parentEdgeB } = this;
    const { potential, potentialSeen, settledF, settledB } = this;
    const { outStart, outHead, outCost, outEdge, inStart, inTail, inCost, inEdge, nodeX, nodeY } = graph;
    const { edgeNoTrucks, edgeMaxHeightM, edgeMaxWeightT } = graph;
    const filter = input.filter;
    const zoneMask = filter.zoneMask;
    const avoidBits = filter.avoidBits;
    const reopened = filter.reopened;
    const reopenStamp = filter.reopenStamp;
    const truck = filter.truck;
    const heightM = filter.heightM;
    const weightT = filter.weightT;
    const budget = input.maxSettledNodes;

    if (this.queueF.capacity < graph.outHead.length + input.forward.length) {
      this.queueF = this.createQueue(input.forward.length);
    }
    if (this.queueB.capacity < graph.outHead.length + input.backward.length) {
      this.queueB = this.createQueue(input.backward.length);
    }
    const queueF = this.queueF;
    const queueB = this.queueB;
    queueF.clear();
    queueB.clear();
    this.settledCountF = 0;
    this.settledCountB = 0;

    // Potentials: a lower bound on the time from a node to the destination (ht) and from the
    // start to it (hs), each the larger of the straight-line bound and the landmark bound, taken
    // towards the nearest anchor (the nodes each search starts from: every way in or out passes
    // one of them). Max and min of consistent bounds are consistent.
    const useHeuristic = input.heuristic;
    const rate = graph.secondsPerMetreBound;
    const targets = Int32Array.from(input.backward, (s) => s.node);
    const sources = Int32Array.from(input.forward, (s) => s.node);
    const lm = useHeuristic ? this.landmarks : null;
    const active = lm === null ? new Int32Array(0) : this.activeLandmarks(lm, sources[0], targets[0]);
    const k = lm === null ? 0 : lm.count;
    const fromL = lm === null ? new Float64Array(0) : lm.fromLandmark;
    const toL = lm === null ? new Float64Array(0) : lm.toLandmark;
    const boundBetween = (v: number, w: number): number => {
      // lower bound on d(v, w)
      const dx = nodeX[v] - nodeX[w];
      const dy = nodeY[v] - nodeY[w];
      let bound = rate * Math.sqrt(dx * dx + dy * dy);
      for (let j = 0; j < active.length; j++) {
        const i = active[j];
        const viaFrom = fromL[w * k + i] - fromL[v * k + i];
        if (viaFrom > bound) bound = viaFrom;
        const viaTo = toL[v * k + i] - toL[w * k + i];
        if (viaTo > bound) bound = viaTo;
      }
      return bound;
    };
    const potentialOf = (v: number): number => {
      if (potentialSeen[v] === gen) return potential[v];
      let toTarget = Infinity;
      for (let i = 0; i < targets.length; i++) {
        const b = boundBetween(v, targets[i]);
        if (b < toTarget) toTarget = b;
      }
      let fromSource = Infinity;
      for (let i = 0; i < sources.length; i++) {
        const b = boundBetween(sources[i], v);
        if (b < fromSource) fromSource = b;
      }
      const p = (toTarget - fromSource) / 2;
      potential[v] = p;
      potentialSeen[v] = gen;
      return p;
    };

    let best = input.direct;
    let meet = -1;

    for (const { node, cost } of input.forward) {
      if (seenF[node] === gen && distF[node] <= cost) continue;
      seenF[node] = gen;
      distF[node] = cost;
      parentNodeF[node] = -1;
      parentEdgeF[node] = 0;
      queueF.push(node, useHeuristic ? cost + potentialOf(node) : cost);
    }
    for (const { node, cost } of input.backward) {
      if (seenB[node] === gen && distB[node] <= cost) continue;
      seenB[node] = gen;
      distB[node] = cost;
      parentNodeB[node] = -1;
      parentEdgeB[node] = 0;
      queueB.push(node, useHeuristic ? cost - potentialOf(node) : cost);
    }
    for (const { node } of input.forward) {
      if (seenB[node] === gen && distF[node] + distB[node] < best) {
        best = distF[node] + distB[node];
        meet = node;
      }
    }

    let settled = 0;
    let status: SearchStatus = 'found';
    while (queueF.length > 0 && queueB.length > 0) {
      if ((queueF.peekValue() as number) + (queueB.peekValue() as number) >= best) break;
      if (queueF.length <= queueB.length) {
        const u = queueF.pop() as number;
        if (doneF[u] === gen) continue;
        doneF[u] = gen;
        settledF[this.settledCountF++] = u;
        if (++settled > budget) {
          status = 'budget';
          break;
        }
        const du = distF[u];
        for (let a = outStart[u], end = outStart[u + 1]; a < end; a++) {
          const v = outHead[a];
          if (doneF[v] === gen) continue;
          const ref = outEdge[a];
          const e = ref < 0 ? ~ref : ref;
          if (zoneMask !== null && (zoneMask[e] & avoidBits) !== 0 && (reopened === null || reopened[e] !== reopenStamp)) {
            continue;
          }
          if (truck && (edgeNoTrucks[e] === 1 || edgeMaxHeightM[e] < heightM || edgeMaxWeightT[e] < weightT)) continue;
          const nd = du + outCost[a];
          if (seenF[v] === gen && nd >= distF[v]) continue;
          seenF[v] = gen;
          distF[v] = nd;
          parentNodeF[v] = u;
          parentEdgeF[v] = ref;
          queueF.push(v, useHeuristic ? nd + potentialOf(v) : nd);
          if (seenB[v] === gen && nd + distB[v] < best) {
            best = nd + distB[v];
            meet = v;
          }
        }
      } else {
        const u = queueB.pop() as number;
        if (doneB[u] === gen) continue;
        doneB[u] = gen;
        settledB[this.settledCountB++] = u;
        if (++settled > budget) {
          status = 'budget';
          break;
        }
        const du = distB[u];
        for (let a = inStart[u], end = inStart[u + 1]; a < end; a++) {
          const v = inTail[a];
          if (doneB[v] === gen) continue;
          const ref = inEdge[a];
          const e = ref < 0 ? ~ref : ref;
          if (zoneMask !== null && (zoneMask[e] & avoidBits) !== 0 && (reopened === null || reopened[e] !== reopenStamp)) {
            continue;
          }
          if (truck && (edgeNoTrucks[e] === 1 || edgeMaxHeightM[e] < heightM || edgeMaxWeightT[e] < weightT)) continue;
          const nd = du + inCost[a];
          if (seenB[v] === gen && nd >= distB[v]) continue;
          seenB[v] = gen;
          distB[v] = nd;
          parentNodeB[v] = u;
          parentEdgeB[v] = ref;
          queueB.push(v, useHeuristic ? nd - potentialOf(v) : nd);
          if (seenF[v] === gen && nd + distF[v] < best) {
            best = nd + distF[v];
            meet = v;
          }
        }
      }
    }

    const result: SearchResult = {
      status,
      cost: best,
      direct: false,
      path: [],
      forwardSeedNode: -1,
      backwardSeedNode: -1,
      settledNodes: settled,
      exhausted: null,
    };
    if (status === 'budget') return result;
    if (best === Infinity) {
      result.status = 'unreachable';
      result.exhausted = queueF.length === 0 ? 'forward' : 'backward';
      return result;
    }
    if (meet === -1) {
      result.direct = true;
      return result;
    }
    const path: number[] = [];
    let v = meet;
    while (parentNodeF[v] !== -1) {
      path.push(parentEdgeF[v]);
      v = parentNodeF[v];
    }
    result.forwardSeedNode = v;
    path.reverse();
    v = meet;
    while (parentNodeB[v] !== -1) {
      path.push(parentEdgeB[v]);
      v = parentNodeB[v];
    }
    result.backwardSeedNode = v;
    result.path = path;
    return result;
  }

  // The landmarks that bound the start–destination distance best; evaluating a few of them per
  // node is cheaper than all and loses little (Goldberg & Harrelson keep an "active" subset too).
  private activeLandmarks(landmarks: Landmarks, source: number, target: number): Int32Array {
    const k = landmarks.count;
    const score = (i: number): number =>
      Math.max(
        landmarks.fromLandmark[target * k + i] - landmarks.fromLandmark[source * k + i],
        landmarks.toLandmark[source * k + i] - landmarks.toLandmark[target * k + i],
      );
    const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => score(b) - score(a));
    return Int32Array.from(order.slice(0, ACTIVE_LANDMARKS));
  }

  /**
   * After an 'unreachable' search: edges that leave the exhausted side's settled region (for the
   * backward side: that enter it) and are closed by a zone only — the zones that cut the way.
   */
  zoneClosedCut(side: 'forward' | 'backward', filter: ArcFilter): Set<number> {
    const graph = this.graph;
    const gen = this.generation;
    const cut = new Set<number>();
    const forward = side === 'forward';
    const settled = forward ? this.settledF : this.settledB;
    const count = forward ? this.settledCountF : this.settledCountB;
    const done = forward ? this.doneF : this.doneB;
    const start = forward ? graph.outStart : graph.inStart;
    const other = forward ? graph.outHead : graph.inTail;
    const edgeRefs = forward ? graph.outEdge : graph.inEdge;
    for (let i = 0; i < count; i++) {
      const u = settled[i];
      for (let a = start[u]; a < start[u + 1]; a++) {
        if (done[other[a]] === gen) continue;
        const ref = edgeRefs[a];
        const e = ref < 0 ? ~ref : ref;
        if (zoneClosesEdge(filter, e) && !truckLimitsCloseEdge(graph, filter, e)) cut.add(e);
      }
    }
    return cut;
  }
}
