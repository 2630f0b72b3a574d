/**
 * The road network as a compact, immutable graph: compressed sparse rows (CSR) in typed arrays.
 *
 * About 1,000,000 road edges fit in about 260 MB this way (arcs both ways, per-edge attributes,
 * geometry and the edge bbox index; measured by bench/routing-engine.ts), against 700 MB for the
 * same graph in ngraph.graph and more as plain objects, and a search touches only contiguous
 * typed arrays. When roads change the graph is rebuilt as a whole (see
 * {@link buildRoadGraph}); zone closures live outside it (zone-index.ts) so they can change
 * without a rebuild.
 */
import Flatbush from 'flatbush';
import { metricScaleAt, type LonLat } from './geometry';
import { TypedArena } from './typed-arena';

/** One road edge as the roads table holds it. Node ids are integers shared at junctions. */
export interface RoadEdge {
  id: number;
  source: number;
  target: number;
  /** centreline from `source` to `target` */
  geometry: LonLat[];
  lengthM: number;
  speedKmh: number;
  /** when true the edge may be driven only from `source` to `target` */
  oneway: boolean;
  name: string | null;
  ref: string | null;
  /** road class, e.g. OSM highway=* value */
  cls: string;
  maxHeightM: number | null;
  maxWeightT: number | null;
  noTrucks: boolean;
}

/**
 * Cost of an edge: travel time in seconds at its speed, `lengthM / (speedKmh / 3.6)`.
 *
 * The same expression, evaluated in IEEE double precision in the same order, is what pgRouting
 * must be given so both agree to the last bit: see {@link EDGE_COST_SQL} and
 * {@link EDGE_REVERSE_COST_SQL}. A oneway edge has no reverse cost (pgRouting: negative = absent).
 */
export function edgeCostSeconds(lengthM: number, speedKmh: number): number {
  return lengthM / (speedKmh / 3.6);
}

/**
 * `cost` column for `pgr_dijkstra`, equal to {@link edgeCostSeconds}. Assumes `length_m` and
 * `speed_kmh` are `double precision` (a `numeric` column would round differently).
 */
export const EDGE_COST_SQL = 'length_m / (speed_kmh / 3.6)';

/** `reverse_cost` column for `pgr_dijkstra`: the same cost, or −1 (no such arc) on a oneway edge. */
export const EDGE_REVERSE_COST_SQL = 'CASE WHEN oneway THEN -1 ELSE length_m / (speed_kmh / 3.6) END';

/**
 * SQL condition for the edges the engine keeps (see {@link isRoutableEdge}); pgRouting must be
 * given the same set, otherwise a zero or negative speed would be a division error or an arc
 * pgRouting treats as absent.
 */
export const ROUTABLE_EDGE_SQL = 'speed_kmh > 0 AND length_m >= 0';

/** Whether an edge can carry traffic: positive finite speed, finite length, a real line. */
export function isRoutableEdge(edge: RoadEdge): boolean {
  return (
    Number.isFinite(edge.speedKmh) &&
    edge.speedKmh > 0 &&
    Number.isFinite(edge.lengthM) &&
    edge.lengthM >= 0 &&
    Array.isArray(edge.geometry) &&
    edge.geometry.length >= 2
  );
}

/**
 * Arcs refer to edges by a signed reference: `e` when the edge is driven from source to target,
 * `~e` (that is −e−1) when driven from target to source.
 */
export function arcEdgeIndex(edgeRef: number): number {
  return edgeRef < 0 ? ~edgeRef : edgeRef;
}

/** Immutable CSR road graph; build it with {@link buildRoadGraph}. Indexes are dense (0…n−1). */
export interface RoadGraph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** edges of the input that were left out because {@link isRoutableEdge} rejected them */
  readonly skippedEdges: number;

  /** original node id per node index */
  readonly nodeIds: Float64Array;
  readonly nodeLon: Float64Array;
  readonly nodeLat: Float64Array;
  /** node position in metres (equirectangular around the graph centre), for search bounds */
  readonly nodeX: Float64Array;
  readonly nodeY: Float64Array;

  /** outgoing arcs of node u are outStart[u] … outStart[u+1]−1 */
  readonly outStart: Int32Array;
  readonly outHead: Int32Array;
  readonly outCost: Float64Array;
  readonly outEdge: Int32Array;
  /** incoming arcs of node v are inStart[v] … inStart[v+1]−1, for the backward search */
  readonly inStart: Int32Array;
  readonly inTail: Int32Array;
  readonly inCost: Float64Array;
  readonly inEdge: Int32Array;

  /** original edge id per edge index */
  readonly edgeIds: Float64Array;
  readonly edgeSource: Int32Array;
  readonly edgeTarget: Int32Array;
  readonly edgeLengthM: Float64Array;
  readonly edgeCost: Float64Array;
  readonly edgeOneway: Uint8Array;
  /** NaN where the road has no limit, so `limit < vehicle` is false */
  readonly edgeMaxHeightM: Float64Array;
  readonly edgeMaxWeightT: Float64Array;
  readonly edgeNoTrucks: Uint8Array;
  /** index into `strings`, −1 for none */
  readonly edgeName: Int32Array;
  readonly edgeRef: Int32Array;
  readonly edgeCls: Int32Array;
  readonly strings: readonly string[];

  /** vertices of edge e are points geomStart[e] … geomStart[e+1]−1 of `coords` (lon, lat pairs) */
  readonly geomStart: Int32Array;
  readonly coords: Float64Array;
  /** flatbush over edge bounding boxes in degrees; item i is edge index i */
  readonly edgeIndex: Flatbush;

  /**
   * Lower bound on seconds per metre of straight-line (nodeX/nodeY) distance over any edge, so
   * `bound × distance` never overestimates travel time (an admissible, consistent A* potential).
   */
  readonly secondsPerMetreBound: number;

  /** node index of an original node id, or −1 */
  nodeIndexOf(nodeId: number): number;
  /** edge index of an original edge id, or −1 */
  edgeIndexOf(edgeId: number): number;
}

/** Margin that keeps the search bound strictly admissible despite rounding in the distances. */
const BOUND_SAFETY = 1 - 1e-9;

/**
 * Builds the CSR graph from road edges. Two-way edges give an arc each way with the same cost;
 * oneway edges only source→target. Edges rejected by {@link isRoutableEdge} are left out.
 */
export function buildRoadGraph(edges: readonly RoadEdge[]): RoadGraph {
  const inputCount = edges.length;
  const kept = new Int32Array(inputCount);
  let edgeCount = 0;
  let pointCount = 0;
  for (let i = 0; i < inputCount; i++) {
    const edge = edges[i];
    if (!isRoutableEdge(edge)) continue;
    kept[edgeCount++] = i;
    pointCount += edge.geometry.length;
  }

  // Per-edge arrays and geometry in one buffer (see typed-arena.ts for why).
  const edgeArena = new TypedArena()
    .reserve('f64', edgeCount, 5)
    .reserve('i32', edgeCount, 5)
    .reserve('i32', edgeCount + 1)
    .reserve('u8', edgeCount, 2)
    .reserve('f64', pointCount * 2);
  const edgeIds = edgeArena.f64(edgeCount);
  const edgeLengthM = edgeArena.f64(edgeCount);
  const edgeCost = edgeArena.f64(edgeCount);
  const edgeMaxHeightM = edgeArena.f64(edgeCount);
  const edgeMaxWeightT = edgeArena.f64(edgeCount);
  const edgeSource = edgeArena.i32(edgeCount);
  const edgeTarget = edgeArena.i32(edgeCount);
  const edgeName = edgeArena.i32(edgeCount);
  const edgeRef = edgeArena.i32(edgeCount);
  const edgeCls = edgeArena.i32(edgeCount);
  const geomStart = edgeArena.i32(edgeCount + 1);
  const edgeOneway = edgeArena.u8(edgeCount);
  const edgeNoTrucks = edgeArena.u8(edgeCount);
  const coords = edgeArena.f64(pointCount * 2);
  const edgeIndex = new Flatbush(Math.max(edgeCount, 1));

  // Dense node numbering in order of first appearance. A typed hash table rather than a Map:
  // with a million road objects alive, every Map resize costs a full garbage collection.
  const nodeTable = new NodeIdTable(edgeCount * 2);
  let nodeCount = 0;

  // Names repeat along a street; interning keeps one string per distinct name.
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const intern = (value: string | null | undefined): number => {
    if (value === null || value === undefined || value === '') return -1;
    let index = stringIndex.get(value);
    if (index === undefined) {
      index = strings.length;
      strings.push(value);
      stringIndex.set(value, index);
    }
    return index;
  };

  let arcCount = 0;
  let point = 0;
  for (let e = 0; e < edgeCount; e++) {
    const edge = edges[kept[e]];
    const geometry = edge.geometry;
    let node = nodeTable.getOrAdd(edge.source, nodeCount);
    if (node === nodeCount) nodeCount++;
    edgeSource[e] = node;
    node = nodeTable.getOrAdd(edge.target, nodeCount);
    if (node === nodeCount) nodeCount++;
    edgeTarget[e] = node;
    edgeIds[e] = edge.id;
    edgeLengthM[e] = edge.lengthM;
    edgeCost[e] = edgeCostSeconds(edge.lengthM, edge.speedKmh);
    edgeOneway[e] = edge.oneway ? 1 : 0;
    arcCount += edge.oneway ? 1 : 2;
    edgeMaxHeightM[e] = edge.maxHeightM ?? NaN;
    edgeMaxWeightT[e] = edge.maxWeightT ?? NaN;
    edgeNoTrucks[e] = edge.noTrucks ? 1 : 0;
    edgeName[e] = intern(edge.name);
    edgeRef[e] = intern(edge.ref);
    edgeCls[e] = intern(edge.cls);

    geomStart[e] = point;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let k = 0; k < geometry.length; k++) {
      const x = geometry[k][0];
      const y = geometry[k][1];
      coords[point * 2] = x;
      coords[point * 2 + 1] = y;
      point++;
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
    edgeIndex.add(minX, minY, maxX, maxY);
  }
  geomStart[edgeCount] = point;
  if (edgeCount === 0) edgeIndex.add(0, 0, 0, 0);
  edgeIndex.finish();

  // Node and arc arrays, now that both counts are known.
  const nodeArena = new TypedArena().reserve('f64', nodeCount, 5).reserve('i32', nodeCount + 1, 2);
  const nodeIds = nodeArena.f64(nodeCount);
  const nodeLon = nodeArena.f64(nodeCount);
  const nodeLat = nodeArena.f64(nodeCount);
  const nodeX = nodeArena.f64(nodeCount);
  const nodeY = nodeArena.f64(nodeCount);
  const outStart = nodeArena.i32(nodeCount + 1);
  const inStart = nodeArena.i32(nodeCount + 1);
  const arcArena = new TypedArena().reserve('i32', arcCount, 4).reserve('f64', arcCount, 2);
  const outHead = arcArena.i32(arcCount);
  const outEdge = arcArena.i32(arcCount);
  const inTail = arcArena.i32(arcCount);
  const inEdge = arcArena.i32(arcCount);
  const outCost = arcArena.f64(arcCount);
  const inCost = arcArena.f64(arcCount);

  nodeTable.forEach((id, index) => {
    nodeIds[index] = id;
  });
  // A node sits where the first edge naming it starts or ends.
  nodeLon.fill(NaN);
  for (let e = 0; e < edgeCount; e++) {
    const s = edgeSource[e];
    if (Number.isNaN(nodeLon[s])) {
      nodeLon[s] = coords[geomStart[e] * 2];
      nodeLat[s] = coords[geomStart[e] * 2 + 1];
    }
    const t = edgeTarget[e];
    if (Number.isNaN(nodeLon[t])) {
      nodeLon[t] = coords[(geomStart[e + 1] - 1) * 2];
      nodeLat[t] = coords[(geomStart[e + 1] - 1) * 2 + 1];
    }
  }

  // Scaled equirectangular plane around the network's middle latitude. Any fixed scaling is a
  // true metric, which is all the search bound needs (the triangle inequality); the scale only
  // affects how tight the bound is.
  let latMin = Infinity;
  let latMax = -Infinity;
  for (let i = 0; i < nodeCount; i++) {
    if (nodeLat[i] < latMin) latMin = nodeLat[i];
    if (nodeLat[i] > latMax) latMax = nodeLat[i];
  }
  const scale = metricScaleAt(nodeCount > 0 ? (latMin + latMax) / 2 : 0);
  for (let i = 0; i < nodeCount; i++) {
    nodeX[i] = nodeLon[i] * scale.kx;
    nodeY[i] = nodeLat[i] * scale.ky;
  }

  // CSR by counting sort: degrees, prefix sums, then fill.
  for (let e = 0; e < edgeCount; e++) {
    outStart[edgeSource[e] + 1]++;
    inStart[edgeTarget[e] + 1]++;
    if (edgeOneway[e] === 0) {
      outStart[edgeTarget[e] + 1]++;
      inStart[edgeSource[e] + 1]++;
    }
  }
  for (let i = 0; i < nodeCount; i++) {
    outStart[i + 1] += outStart[i];
    inStart[i + 1] += inStart[i];
  }
  const outFill = outStart.slice(0, nodeCount);
  const inFill = inStart.slice(0, nodeCount);
  let secondsPerMetreBound = Infinity;
  for (let e = 0; e < edgeCount; e++) {
    const s = edgeSource[e];
    const t = edgeTarget[e];
    const cost = edgeCost[e];
    let a = outFill[s]++;
    outHead[a] = t;
    outCost[a] = cost;
    outEdge[a] = e;
    a = inFill[t]++;
    inTail[a] = s;
    inCost[a] = cost;
    inEdge[a] = e;
    if (edgeOneway[e] === 0) {
      a = outFill[t]++;
      outHead[a] = s;
      outCost[a] = cost;
      outEdge[a] = ~e;
      a = inFill[s]++;
      inTail[a] = t;
      inCost[a] = cost;
      inEdge[a] = ~e;
    }
    const dx = nodeX[t] - nodeX[s];
    const dy = nodeY[t] - nodeY[s];
    const chord = Math.sqrt(dx * dx + dy * dy);
    if (chord > 0) {
      const rate = cost / chord;
      if (rate < secondsPerMetreBound) secondsPerMetreBound = rate;
    }
  }
  secondsPerMetreBound = Number.isFinite(secondsPerMetreBound) ? secondsPerMetreBound * BOUND_SAFETY : 0;

  let edgeIndexById: Map<number, number> | null = null;

  return {
    nodeCount,
    edgeCount,
    skippedEdges: inputCount - edgeCount,
    nodeIds,
    nodeLon,
    nodeLat,
    nodeX,
    nodeY,
    outStart,
    outHead,
    outCost,
    outEdge,
    inStart,
    inTail,
    inCost,
    inEdge,
    edgeIds,
    edgeSource,
    edgeTarget,
    edgeLengthM,
    edgeCost,
    edgeOneway,
    edgeMaxHeightM,
    edgeMaxWeightT,
    edgeNoTrucks,
    edgeName,
    edgeRef,
    edgeCls,
    strings,
    geomStart,
    coords,
    edgeIndex,
    secondsPerMetreBound,
    nodeIndexOf(nodeId: number): number {
      return nodeTable.get(nodeId);
    },
    edgeIndexOf(edgeId: number): number {
      // Built on first use only: the API and tests need it, the search never does.
      if (edgeIndexById === null) {
        edgeIndexById = new Map();
        for (let e = 0; e < edgeCount; e++) edgeIndexById.set(edgeIds[e], e);
      }
      return edgeIndexById.get(edgeId) ?? -1;
    },
  };
}

/** Open-addressing hash from node id (any integer up to 2^53) to node index, in typed arrays. */
class NodeIdTable {
  private readonly keys: Float64Array;
  private readonly values: Int32Array;
  private readonly mask: number;

  /** `maxKeys`: an upper bound on the ids it will hold (it never resizes). */
  constructor(maxKeys: number) {
    let capacity = 16;
    while (capacity <= maxKeys) capacity *= 2;
    this.keys = new Float64Array(capacity);
    this.values = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
  }

  private slot(id: number): number {
    const low = id >>> 0;
    const high = Math.floor(id / 4294967296) >>> 0;
    let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h & this.mask;
  }

  /** Index of `id`, adding it with `next` when absent. */
  getOrAdd(id: number, next: number): number {
    let i = this.slot(id);
    for (;;) {
      const value = this.values[i];
      if (value === -1) {
        this.keys[i] = id;
        this.values[i] = next;
        return next;
      }
      if (this.keys[i] === id) return value;
      i = (i + 1) & this.mask;
    }
  }

  /** Calls `visit` with every id and its index. */
  forEach(visit: (id: number, index: number) => void): void {
    for (let i = 0; i < this.values.length; i++) if (this.values[i] !== -1) visit(this.keys[i], this.values[i]);
  }

  /** Index of `id`, or −1. */
  get(id: number): number {
    let i = this.slot(id);
    for (;;) {
      const value = this.values[i];
      if (value === -1) return -1;
      if (this.keys[i] === id) return value;
      i = (i + 1) & this.mask;
    }
  }
}

/** Display name of an edge: its name, else its ref (e.g. "G309"), else null. */
export function edgeDisplayName(graph: RoadGraph, e: number): string | null {
  const name = graph.edgeName[e];
  if (name >= 0) return graph.strings[name];
  const ref = graph.edgeRef[e];
  return ref >= 0 ? graph.strings[ref] : null;
}
