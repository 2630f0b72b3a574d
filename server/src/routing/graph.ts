/**
 * The road network as a compact, immutable graph: compressed sparse rows (CSR) in typed arrays.
 *
 * About 1,000,000 road edges fit in roughly 200 MB this way (arcs, per-edge attributes, geometry
 * and the edge bbox index), against well over a gigabyte as JS objects, and a search touches only
 * contiguous typed arrays. When roads change the graph is rebuilt as a whole (see
 * {@link buildRoadGraph}); zone closures live outside it (zone-index.ts) so they can change
 * without a rebuild.
 */
import Flatbush from 'flatbush';
import { metricScaleAt, type LonLat } from './geometry';

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

  // Dense node numbering in order of first appearance.
  const nodeIndexById = new Map<number, number>();
  const edgeSource = new Int32Array(edgeCount);
  const edgeTarget = new Int32Array(edgeCount);
  let nodeIdList: number[] = [];
  let nodeLonList: number[] = [];
  let nodeLatList: number[] = [];
  const nodeOf = (id: number, lon: number, lat: number): number => {
    let index = nodeIndexById.get(id);
    if (index === undefined) {
      index = nodeIdList.length;
      nodeIndexById.set(id, index);
      nodeIdList.push(id);
      nodeLonList.push(lon);
      nodeLatList.push(lat);
    }
    return index;
  };

  const edgeIds = new Float64Array(edgeCount);
  const edgeLengthM = new Float64Array(edgeCount);
  const edgeCost = new Float64Array(edgeCount);
  const edgeOneway = new Uint8Array(edgeCount);
  const edgeMaxHeightM = new Float64Array(edgeCount);
  const edgeMaxWeightT = new Float64Array(edgeCount);
  const edgeNoTrucks = new Uint8Array(edgeCount);
  const edgeName = new Int32Array(edgeCount);
  const edgeRef = new Int32Array(edgeCount);
  const edgeCls = new Int32Array(edgeCount);
  const geomStart = new Int32Array(edgeCount + 1);
  const coords = new Float64Array(pointCount * 2);
  const edgeIndex = new Flatbush(Math.max(edgeCount, 1));

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
    const last = geometry[geometry.length - 1];
    edgeSource[e] = nodeOf(edge.source, geometry[0][0], geometry[0][1]);
    edgeTarget[e] = nodeOf(edge.target, last[0], last[1]);
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

  const nodeCount = nodeIdList.length;
  const nodeIds = Float64Array.from(nodeIdList);
  const nodeLon = Float64Array.from(nodeLonList);
  const nodeLat = Float64Array.from(nodeLatList);
  nodeIdList = [];
  nodeLonList = [];
  nodeLatList = [];

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
  const nodeX = new Float64Array(nodeCount);
  const nodeY = new Float64Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) {
    nodeX[i] = nodeLon[i] * scale.kx;
    nodeY[i] = nodeLat[i] * scale.ky;
  }

  // CSR by counting sort: degrees, prefix sums, then fill.
  const outStart = new Int32Array(nodeCount + 1);
  const inStart = new Int32Array(nodeCount + 1);
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
  const outHead = new Int32Array(arcCount);
  const outCost = new Float64Array(arcCount);
  const outEdge = new Int32Array(arcCount);
  const inTail = new Int32Array(arcCount);
  const inCost = new Float64Array(arcCount);
  const inEdge = new Int32Array(arcCount);
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
    const chord = Math.hypot(nodeX[t] - nodeX[s], nodeY[t] - nodeY[s]);
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
      return nodeIndexById.get(nodeId) ?? -1;
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

/** Display name of an edge: its name, else its ref (e.g. "G309"), else null. */
export function edgeDisplayName(graph: RoadGraph, e: number): string | null {
  const name = graph.edgeName[e];
  if (name >= 0) return graph.strings[name];
  const ref = graph.edgeRef[e];
  return ref >= 0 ? graph.strings[ref] : null;
}
