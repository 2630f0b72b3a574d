/**
 * Landmark distances for ALT search bounds (A*, Landmarks, Triangle inequality; Goldberg &
 * Harrelson 2005).
 *
 * For a landmark L, the triangle inequality gives d(v, w) ≥ d(L, w) − d(L, v) and
 * d(v, w) ≥ d(v, L) − d(w, L). Distances are measured once on the whole road graph with nothing
 * closed; closing roads (zones, truck limits) only lengthens ways, so the bounds stay valid for
 * every request and never need recomputing when zones change — only when the roads do.
 */
import FlatQueue from 'flatqueue';
import type { RoadGraph } from './graph';

/** Distances between every node and a few landmark nodes. */
export interface Landmarks {
  readonly count: number;
  /** node index of each landmark */
  readonly nodes: Int32Array;
  /** d(landmark i, node v) at v × count + i */
  readonly fromLandmark: Float64Array;
  /** d(node v, landmark i) at v × count + i */
  readonly toLandmark: Float64Array;
  /**
   * Stand-in for "unreachable": more than any real distance. A finite stand-in keeps the bounds
   * consistent (an infinite one would give ∞ − ∞) while still exceeding every true distance.
   */
  readonly unreachable: number;
}

/**
 * Picks `count` landmarks and measures their distances. Landmarks are spread by the planar
 * method: the node farthest from the network's centre in each of `count` equal angular sectors,
 * among the nodes that can reach and be reached from the centre (so none sits on an isolated
 * fragment). Costs 2 + 2 × count one-to-all searches.
 */
export function computeLandmarks(graph: RoadGraph, count: number): Landmarks | null {
  const n = graph.nodeCount;
  if (count <= 0 || n === 0) return null;
  const { nodeX, nodeY } = graph;
  let unreachable = 1;
  for (let e = 0; e < graph.edgeCount; e++) unreachable += graph.edgeCost[e];

  let cx = 0;
  let cy = 0;
  for (let v = 0; v < n; v++) {
    cx += nodeX[v] / n;
    cy += nodeY[v] / n;
  }
  let root = 0;
  let rootDistance = Infinity;
  for (let v = 0; v < n; v++) {
    const d = (nodeX[v] - cx) ** 2 + (nodeY[v] - cy) ** 2;
    if (d < rootDistance) {
      rootDistance = d;
      root = v;
    }
  }

  const queue = new FlatQueue<number>(graph.outHead.length + 1, Float64Array, Uint32Array);
  const forward = new Float64Array(n);
  const backward = new Float64Array(n);
  oneToAll(graph, root, 'out', forward, queue);
  oneToAll(graph, root, 'in', backward, queue);

  const best = new Int32Array(count).fill(-1);
  const bestDistance = new Float64Array(count).fill(-1);
  for (let v = 0; v < n; v++) {
    if (forward[v] === Infinity || backward[v] === Infinity) continue;
    const dx = nodeX[v] - cx;
    const dy = nodeY[v] - cy;
    const sector = Math.min(Math.floor(((Math.atan2(dy, dx) + Math.PI) / (2 * Math.PI)) * count), count - 1);
    const d = dx * dx + dy * dy;
    if (d > bestDistance[sector]) {
      bestDistance[sector] = d;
      best[sector] = v;
    }
  }
  const nodes = Int32Array.from(best.filter((v) => v >= 0));
  const k = nodes.length;
  const fromLandmark = new Float64Array(n * k);
  const toLandmark = new Float64Array(n * k);
  for (let i = 0; i < k; i++) {
    oneToAll(graph, nodes[i], 'out', forward, queue);
    oneToAll(graph, nodes[i], 'in', backward, queue);
    for (let v = 0; v < n; v++) {
      fromLandmark[v * k + i] = forward[v] === Infinity ? unreachable : forward[v];
      toLandmark[v * k + i] = backward[v] === Infinity ? unreachable : backward[v];
    }
  }
  return { count: k, nodes, fromLandmark, toLandmark, unreachable };
}

/** Dijkstra from one node to all others over the open graph ('in': distances to the node). */
function oneToAll(graph: RoadGraph, source: number, direction: 'out' | 'in', dist: Float64Array, queue: FlatQueue<number>): void {
  const start = direction === 'out' ? graph.outStart : graph.inStart;
  const other = direction === 'out' ? graph.outHead : graph.inTail;
  const cost = direction === 'out' ? graph.outCost : graph.inCost;
  dist.fill(Infinity);
  dist[source] = 0;
  queue.clear();
  queue.push(source, 0);
  while (queue.length > 0) {
    const d = queue.peekValue() as number;
    const u = queue.pop() as number;
    if (d > dist[u]) continue;
    for (let a = start[u], end = start[u + 1]; a < end; a++) {
      const v = other[a];
      const nd = d + cost[a];
      if (nd < dist[v]) {
        dist[v] = nd;
        queue.push(v, nd);
      }
    }
  }
}
