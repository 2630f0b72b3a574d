// Validation of GeoJSON write input (RFC 7946). Every write path of the API parses geometry here
// first, so a resident or designator sees a precise reason and a stable code (which ring, which
// kind of fault) before anything reaches PostGIS. PostGIS then has the last word: every zone is
// judged again by ST_IsValid at the served precision (zones.repo `validity`). The topology check
// here is kept because GEOS's reasons are not stable codes; tests/api/validity-differential.test.ts
// shows it agrees with PostGIS on the whole fixture corpus and on 1,000 random shapes per run.
//
// The input is whatever express's JSON parser produced, so nothing about its shape is assumed:
// every member is read as `unknown` and the only thing ever thrown is GeometryInputError.

import type * as GeoJSON from 'geojson';
import rewind from '@mapbox/geojson-rewind';
import Flatbush from 'flatbush';
import { z } from 'zod';
import { locatePointInRing, orientation, withinSegmentBox } from './planar';
import {
  BBOX_INVERTED,
  BBOX_MALFORMED,
  BBOX_OUT_OF_RANGE,
  BBOX_TOO_LARGE,
  COORDINATE_MALFORMED,
  COORDINATE_MISSING,
  CROSSES_ANTIMERIDIAN,
  FEATURE_COLLECTION_FEATURES_MISSING,
  FEATURE_COLLECTION_INVALID,
  FEATURE_COLLECTION_TOO_LARGE,
  FEATURE_GEOMETRY_NULL,
  FEATURE_ID_INVALID,
  FEATURE_PROPERTIES_INVALID,
  GEOJSON_CRS_NOT_ALLOWED,
  GEOJSON_NESTING_TOO_DEEP,
  GEOJSON_NOT_OBJECT,
  GEOJSON_TYPE_INVALID,
  GEOMETRY_COORDINATES_MISSING,
  GEOMETRY_EMPTY,
  GEOMETRY_ERROR_REASONS,
  GEOMETRY_NOT_CLOSED,
  GEOMETRY_TYPE_NOT_ALLOWED,
  HOLE_INSIDE_HOLE,
  HOLE_OUTSIDE_SHELL,
  LINE_DEGENERATE,
  LINE_TOO_SHORT,
  OUTSIDE_SERVICE_AREA,
  POLYGON_SELF_INTERSECTION,
  POLYGONS_OVERLAP,
  POSITION_INVALID,
  POSITION_OUT_OF_RANGE,
  RING_DEGENERATE,
  RING_SELF_INTERSECTION,
  RING_TOO_SHORT,
  TOO_MANY_VERTICES,
  type GeometryErrorCode,
} from './geojson-codes';

/** `[minLon, minLat, maxLon, maxLat]` in WGS84 degrees. */
export type LonLatBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

/** Bounds every parsed geometry must respect. */
export interface GeometryLimits {
  /** Most positions one geometry may have (closing positions count). @defaultValue 10000 */
  maxVertices: number;
  /** Deepest JSON nesting of the value handed to a parser; a MultiPolygon needs 5, a Feature 6, a FeatureCollection 8. @defaultValue 8 */
  maxDepth: number;
  /** Every position must lie inside this box (edges included). @defaultValue the whole globe */
  serviceArea: LonLatBox;
}

/** A refused geometry input: always a client error (400) with a stable `code` from geojson-codes. */
export class GeometryInputError extends Error {
  override readonly name = 'GeometryInputError';
  readonly code: GeometryErrorCode;
  readonly details?: Record<string, unknown>;
  readonly status = 400 as const;

  constructor(code: GeometryErrorCode, message: string = GEOMETRY_ERROR_REASONS[code], details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    if (details) this.details = details;
  }
}

function fail(code: GeometryErrorCode, message?: string, details?: Record<string, unknown>): never {
  throw new GeometryInputError(code, message, details);
}

// ---------------------------------------------------------------------------------------------
// Reading untrusted values

type Pos = [number, number];
type JsonObject = Record<string, unknown>;

const GEOMETRY_TYPES = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'];
const GEOJSON_TYPES = new Set([...GEOMETRY_TYPES, 'Feature', 'FeatureCollection']);
const ZONE_TYPES = ['Polygon', 'MultiPolygon'];
const LINE_TYPES = ['LineString', 'MultiLineString'];

/** Own members only: an inherited `type` or `coordinates` is not part of the request. */
function member(obj: JsonObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** A short description of a value that never calls its toString (a null-prototype object has none). */
function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** " (got a string)" for a member of the wrong kind, nothing for a missing one. */
function got(value: unknown): string {
  return value === undefined ? '' : ` (got ${kindOf(value)})`;
}

function quoted(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

function fmt(p: Pos): string {
  return `[${p[0]}, ${p[1]}]`;
}

/**
 * Refuses values nested deeper than `maxDepth` (the value itself is depth 1). Walks with an explicit
 * stack: a hostile array nested 100 000 deep must not exhaust the call stack.
 */
function assertDepth(value: unknown, maxDepth: number): void {
  if (value === null || typeof value !== 'object') return;
  const pending: object[] = [value];
  const depths: number[] = [1];
  const tooDeep = () =>
    fail(GEOJSON_NESTING_TOO_DEEP, `The GeoJSON is nested deeper than ${maxDepth} levels.`, { maxDepth });
  if (maxDepth < 1) tooDeep();
  while (pending.length > 0) {
    const node = pending.pop() as object;
    const childDepth = (depths.pop() as number) + 1;
    const children: unknown[] = Array.isArray(node)
      ? node
      : Object.keys(node).map((key) => (node as JsonObject)[key]);
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child === null || typeof child !== 'object') continue;
      if (childDepth > maxDepth) tooDeep();
      pending.push(child);
      depths.push(childDepth);
    }
  }
}

/** The input as a GeoJSON object, refusing non-objects and the pre-RFC 7946 `crs` member. */
function asGeoJsonObject(input: unknown, what: string): JsonObject {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    fail(GEOJSON_NOT_OBJECT, `${what} must be a GeoJSON object, got ${kindOf(input)}.`);
  }
  const obj = input as JsonObject;
  if (member(obj, 'crs') !== undefined) fail(GEOJSON_CRS_NOT_ALLOWED);
  return obj;
}

function typeOf(obj: JsonObject, allowed: readonly string[], expected = allowed.join(' or ')): string {
  const type = member(obj, 'type');
  if (typeof type !== 'string') fail(GEOJSON_TYPE_INVALID, `The GeoJSON object has no "type" string${got(type)}.`);
  if (!GEOJSON_TYPES.has(type)) fail(GEOJSON_TYPE_INVALID, `${quoted(type)} is not a GeoJSON type.`);
  if (!allowed.includes(type)) {
    fail(GEOMETRY_TYPE_NOT_ALLOWED, `Expected ${expected}, got ${type}.`, { type, allowed: [...allowed] });
  }
  return type;
}

function coordinatesOf(obj: JsonObject, type: string): unknown[] {
  const coordinates = member(obj, 'coordinates');
  if (!Array.isArray(coordinates)) {
    fail(GEOMETRY_COORDINATES_MISSING, `The ${type} has no "coordinates" array${got(coordinates)}.`);
  }
  if (coordinates.length === 0) fail(GEOMETRY_EMPTY, `The ${type} has no coordinates.`);
  return coordinates;
}

/** Where in a geometry something is, both for the message and for `details`. */
type Where = {
  polygon?: number;
  ring?: number;
  line?: number;
  position?: number;
};

/** "position 3 of ring 1 of polygon 0"; `subject` names the thing when `at` is empty. */
function describeWhere(at: Where, subject = 'the position'): string {
  const parts: string[] = [];
  if (at.position !== undefined) parts.push(`position ${at.position}`);
  if (at.ring !== undefined) parts.push(`ring ${at.ring}`);
  if (at.line !== undefined) parts.push(`line ${at.line}`);
  if (at.polygon !== undefined) parts.push(`polygon ${at.polygon}`);
  return parts.length > 0 ? parts.join(' of ') : subject;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Reads positions and arrays of them, counting vertices against the limit. */
class PositionReader {
  private count = 0;

  constructor(private readonly maxVertices: number) {}

  /** An array of positions (a ring or a line); checks the vertex budget before reading any. */
  positions(value: unknown, at: Where): Pos[] {
    const list = this.list(value, at, 'positions');
    this.count += list.length;
    if (this.count > this.maxVertices) {
      fail(TOO_MANY_VERTICES, `The geometry has more than ${this.maxVertices} vertices.`, { maxVertices: this.maxVertices });
    }
    const out: Pos[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) out[i] = this.position(list[i], at, i);
    return out;
  }

  /** A non-empty array at a level above positions (polygons, rings, lines). */
  list(value: unknown, at: Where, of: string): unknown[] {
    if (!Array.isArray(value)) {
      fail(POSITION_INVALID, `${capitalised(describeWhere(at, 'the coordinates'))} is ${kindOf(value)}, not an array of ${of}.`, { ...at });
    }
    if (value.length === 0) fail(GEOMETRY_EMPTY, `${capitalised(describeWhere(at, 'the coordinates'))} is empty.`, { ...at });
    return value;
  }

  /** One `[lon, lat]` or `[lon, lat, alt]`; the altitude is dropped (columns are 2D). */
  position(value: unknown, at: Where, index?: number): Pos {
    // The description is built only on failure: this runs once per vertex.
    const refuse = (code: GeometryErrorCode, problem: string): never => {
      const where: Where = index === undefined ? at : { ...at, position: index };
      return fail(code, `${capitalised(describeWhere(where))} ${problem}`, { ...where });
    };
    if (!Array.isArray(value)) return refuse(POSITION_INVALID, `is ${kindOf(value)}, not [longitude, latitude].`);
    if (value.length < 2 || value.length > 3) {
      refuse(POSITION_INVALID, `has ${value.length} value${value.length === 1 ? '' : 's'}; a position is [longitude, latitude] with an optional altitude.`);
    }
    for (let i = 0; i < value.length; i++) {
      const n = value[i];
      if (typeof n !== 'number' || !Number.isFinite(n)) {
        refuse(POSITION_INVALID, `holds ${kindOf(n)}${typeof n === 'number' ? ` (${n})` : ''} where a finite number belongs.`);
      }
    }
    const lon = value[0] as number;
    const lat = value[1] as number;
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      refuse(POSITION_OUT_OF_RANGE, `is [${lon}, ${lat}]; longitude must lie in [-180, 180] and latitude in [-90, 90].`);
    }
    return [lon, lat];
  }
}

function samePos(a: Pos, b: Pos): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/**
 * Removes repeated consecutive positions: a double click while drawing is not an error. `origin`,
 * when given, receives the input index of each kept position, so later messages can name it.
 */
function withoutConsecutiveDuplicates(positions: Pos[], origin?: number[]): Pos[] {
  const out: Pos[] = [positions[0]];
  origin?.push(0);
  for (let i = 1; i < positions.length; i++) {
    if (!samePos(positions[i], out[out.length - 1])) {
      out.push(positions[i]);
      origin?.push(i);
    }
  }
  return out;
}

function hasDistinct(positions: Pos[], wanted: number): boolean {
  const seen = new Set<string>();
  for (const p of positions) {
    seen.add(`${p[0]},${p[1]}`);
    if (seen.size >= wanted) return true;
  }
  return false;
}

function normaliseRing(ring: Pos[], at: Where, origin: number[]): Pos[] {
  const where = capitalised(describeWhere(at));
  if (ring.length < 4) {
    fail(RING_TOO_SHORT, `${where} has ${ring.length} positions; a ring needs at least 4, the last repeating the first.`, { ...at });
  }
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (!samePos(first, last)) {
    fail(GEOMETRY_NOT_CLOSED, `${where} is not closed: it starts at ${fmt(first)} and ends at ${fmt(last)}.`, { ...at });
  }
  const cleaned = withoutConsecutiveDuplicates(ring, origin);
  if (cleaned.length < 4 || !hasDistinct(cleaned, 3)) {
    fail(RING_DEGENERATE, `${where} has fewer than 3 distinct positions.`, { ...at });
  }
  return cleaned;
}

function assertNoAntimeridianCrossing(line: Pos[], at: Where): void {
  for (let i = 1; i < line.length; i++) {
    if (Math.abs(line[i][0] - line[i - 1][0]) > 180) {
      fail(
        CROSSES_ANTIMERIDIAN,
        `The segment from ${describeWhere({ ...at, position: i - 1 })} ${fmt(line[i - 1])} to ${fmt(line[i])} spans more than 180° of longitude: the geometry crosses the antimeridian, which is not supported.`,
        { ...at, position: i - 1 },
      );
    }
  }
}

function outside([lon, lat]: Pos, [minLon, minLat, maxLon, maxLat]: LonLatBox): boolean {
  return lon < minLon || lon > maxLon || lat < minLat || lat > maxLat;
}

function refuseOutside(position: Pos, area: LonLatBox, at: Where, subject: string): never {
  return fail(OUTSIDE_SERVICE_AREA, `${capitalised(describeWhere(at, subject))} ${fmt(position)} lies outside the service area [${area.join(', ')}].`, {
    ...at,
    serviceArea: [...area],
  });
}

function assertInServiceArea(positions: Pos[], area: LonLatBox, at: Where): void {
  for (let i = 0; i < positions.length; i++) {
    if (outside(positions[i], area)) refuseOutside(positions[i], area, { ...at, position: i }, 'the position');
  }
}

// ---------------------------------------------------------------------------------------------
// Planar topology of polygons

/** Order of the sweep: by longitude, then latitude (a sweep line tilted by an infinitesimal angle). */
function lexCompare(ax: number, ay: number, bx: number, by: number): number {
  return ax !== bx ? (ax < bx ? -1 : 1) : ay !== by ? (ay < by ? -1 : 1) : 0;
}

/** One ring edge, stored with its endpoints in sweep order (left `l`, right `r`). */
interface Edge {
  id: number;
  polygon: number;
  ring: number;
  /** Index of the edge within its ring: it runs from position `index` to `index + 1`. */
  index: number;
  ringKey: number;
  ringEdges: number;
  lx: number;
  ly: number;
  rx: number;
  ry: number;
}

const NONE = 0;
const TOUCH = 1;
const CROSS = 2;
const OVERLAP = 3;

function onBox(px: number, py: number, e: Edge): boolean {
  return withinSegmentBox(e.lx, e.ly, e.rx, e.ry, px, py);
}

/** How two edges meet: NONE, TOUCH (a single point), CROSS (interiors cross) or OVERLAP (collinear, sharing a stretch). */
function meeting(p: Edge, q: Edge): number {
  const d1 = orientation(q.lx, q.ly, q.rx, q.ry, p.lx, p.ly);
  const d2 = orientation(q.lx, q.ly, q.rx, q.ry, p.rx, p.ry);
  if (d1 === 0 && d2 === 0) {
    // Collinear: along the line the sweep order is monotone, so compare the shared stretch in it.
    const startsP = lexCompare(p.lx, p.ly, q.lx, q.ly) >= 0;
    const sx = startsP ? p.lx : q.lx;
    const sy = startsP ? p.ly : q.ly;
    const endsP = lexCompare(p.rx, p.ry, q.rx, q.ry) <= 0;
    const ex = endsP ? p.rx : q.rx;
    const ey = endsP ? p.ry : q.ry;
    const c = lexCompare(sx, sy, ex, ey);
    return c < 0 ? OVERLAP : c === 0 ? TOUCH : NONE;
  }
  const d3 = orientation(p.lx, p.ly, p.rx, p.ry, q.lx, q.ly);
  const d4 = orientation(p.lx, p.ly, p.rx, p.ry, q.rx, q.ry);
  if (d1 * d2 < 0 && d3 * d4 < 0) return CROSS;
  if (
    (d1 === 0 && onBox(p.lx, p.ly, q)) ||
    (d2 === 0 && onBox(p.rx, p.ry, q)) ||
    (d3 === 0 && onBox(q.lx, q.ly, p)) ||
    (d4 === 0 && onBox(q.rx, q.ry, p))
  ) {
    return TOUCH;
  }
  return NONE;
}

/** A point where two meeting edges meet, for the message and the client's marker. */
function meetingPoint(p: Edge, q: Edge): Pos {
  const rx = p.rx - p.lx;
  const ry = p.ry - p.ly;
  const sx = q.rx - q.lx;
  const sy = q.ry - q.ly;
  const denom = rx * sy - ry * sx;
  if (denom !== 0) {
    const t = ((q.lx - p.lx) * sy - (q.ly - p.ly) * sx) / denom;
    if (t > 0 && t < 1) return [p.lx + t * rx, p.ly + t * ry];
  }
  const ends: Array<[Pos, Edge]> = [
    [[p.lx, p.ly], q],
    [[p.rx, p.ry], q],
    [[q.lx, q.ly], p],
    [[q.rx, q.ry], p],
  ];
  for (const [pt, other] of ends) {
    if (orientation(other.lx, other.ly, other.rx, other.ry, pt[0], pt[1]) === 0 && onBox(pt[0], pt[1], other)) return pt;
  }
  return [p.lx, p.ly];
}

/**
 * Order of two edges along the sweep line, both active and not crossing: negative when `a` lies
 * below `b`. The edge that entered the sweep first is the reference; the other is placed by the
 * side of it its left end (or, if that lies on it, its right end) falls. Collinear edges tie and
 * fall back to their ids so the order stays total.
 */
function compareEdges(a: Edge, b: Edge): number {
  if (a === b) return 0;
  const order = lexCompare(a.lx, a.ly, b.lx, b.ly);
  if (order > 0) return -compareEdges(b, a);
  if (order < 0) {
    const side = orientation(a.lx, a.ly, a.rx, a.ry, b.lx, b.ly);
    if (side !== 0) return -side;
  }
  const side = orientation(a.lx, a.ly, a.rx, a.ry, b.rx, b.ry);
  if (side !== 0) return -side;
  return a.id - b.id;
}

interface Conflict {
  code: GeometryErrorCode;
  kind: number;
  a: Edge;
  b: Edge;
}

function conflictOf(a: Edge, b: Edge): Conflict | null {
  const kind = meeting(a, b);
  if (kind === NONE) return null;
  if (a.ringKey === b.ringKey) {
    const gap = Math.abs(a.index - b.index);
    const adjacent = gap === 1 || gap === a.ringEdges - 1;
    // Neighbouring edges share a vertex by construction; only doubling back along each other is wrong.
    if (adjacent && kind !== OVERLAP) return null;
    return { code: RING_SELF_INTERSECTION, kind, a, b };
  }
  // Distinct rings may touch at a point (OGC simple features); crossing or sharing an edge is invalid.
  if (kind === TOUCH) return null;
  return { code: a.polygon === b.polygon ? POLYGON_SELF_INTERSECTION : POLYGONS_OVERLAP, kind, a, b };
}

/**
 * Finds a pair of edges that meet where they must not (Shamos–Hoey sweep, O(n log n) comparisons):
 * edges are kept ordered along a sweep line and only neighbours in that order are tested, since
 * the leftmost forbidden meeting is between edges that are neighbours just before it. Every
 * reported conflict is a direct test of the two edges, so a valid polygon is not refused; contrived
 * coincidences of several rings at one point may slip through to PostGIS's own check.
 */
function findEdgeConflict(edges: Edge[]): Conflict | null {
  // Event e*2 inserts edge e at its left end, e*2+1 removes it at its right end. At one point,
  // removals go first, so an edge ending there is never compared with one starting there; that
  // is the ring's own vertex or a touch between rings, and repeated vertices are caught beforehand.
  const events = new Array<number>(edges.length * 2);
  for (let i = 0; i < edges.length; i++) {
    events[2 * i] = 2 * i;
    events[2 * i + 1] = 2 * i + 1;
  }
  const x = (ev: number) => (ev & 1 ? edges[ev >> 1].rx : edges[ev >> 1].lx);
  const y = (ev: number) => (ev & 1 ? edges[ev >> 1].ry : edges[ev >> 1].ly);
  events.sort((a, b) => lexCompare(x(a), y(a), x(b), y(b)) || (b & 1) - (a & 1));

  const active = new SweepStatus();
  const test = (a: Edge | undefined, b: Edge | undefined) => (a && b ? conflictOf(a, b) : null);
  for (const ev of events) {
    const edge = edges[ev >> 1];
    const [below, above] = (ev & 1) === 0 ? active.insert(edge) : active.remove(edge);
    const found = (ev & 1) === 0 ? (test(below, edge) ?? test(edge, above)) : test(below, above);
    if (found) return found;
  }
  return null;
}

/**
 * The edges crossing the sweep line, in order, as a list of blocks of at most 2·BLOCK edges:
 * insertion and removal move O(√n) entries instead of O(n), which matters when thousands of edges
 * are active at once (a star-shaped polygon with 10 000 vertices).
 */
class SweepStatus {
  private static readonly BLOCK = 128;
  private blocks: Edge[][] = [];

  /** Inserts `edge` in order; returns its neighbours below and above. */
  insert(edge: Edge): [Edge | undefined, Edge | undefined] {
    if (this.blocks.length === 0) {
      this.blocks.push([edge]);
      return [undefined, undefined];
    }
    const b = this.blockFor(edge);
    const block = this.blocks[b];
    const at = lowerBound(block, edge);
    block.splice(at, 0, edge);
    const neighbours = this.around(b, at - 1, at + 1);
    if (block.length > 2 * SweepStatus.BLOCK) this.blocks.splice(b + 1, 0, block.splice(SweepStatus.BLOCK));
    return neighbours;
  }

  /** Removes `edge`; returns the edges that become neighbours, below and above the gap. */
  remove(edge: Edge): [Edge | undefined, Edge | undefined] {
    let b = this.blockFor(edge);
    let at = b < this.blocks.length ? lowerBound(this.blocks[b], edge) : -1;
    if (at < 0 || this.blocks[b][at] !== edge) {
      // Floating-point ties can leave the order locally inconsistent; never lose an edge over it.
      b = this.blocks.findIndex((block) => block.includes(edge));
      at = this.blocks[b].indexOf(edge);
    }
    const block = this.blocks[b];
    block.splice(at, 1);
    const neighbours = this.around(b, at - 1, at);
    if (block.length === 0) this.blocks.splice(b, 1);
    return neighbours;
  }

  /** The first block whose last edge is not below `edge` (the last block if there is none). */
  private blockFor(edge: Edge): number {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const block = this.blocks[mid];
      if (compareEdges(block[block.length - 1], edge) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The edges at offsets `below` and `above` of block `b`, reaching into the next blocks. */
  private around(b: number, below: number, above: number): [Edge | undefined, Edge | undefined] {
    const block = this.blocks[b];
    const prev = below >= 0 ? block[below] : this.blocks[b - 1]?.at(-1);
    const next = above < block.length ? block[above] : this.blocks[b + 1]?.[0];
    return [prev, next];
  }
}

function lowerBound(block: Edge[], edge: Edge): number {
  let lo = 0;
  let hi = block.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareEdges(block[mid], edge) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Where a ring lies relative to another it does not cross: decided by its first vertex off the
 * other's boundary (rings may touch at points). 0 when every vertex is on the boundary.
 */
function locateRing(ring: Pos[], container: Pos[]): number {
  for (let i = 0; i < ring.length - 1; i++) {
    const where = locatePointInRing(ring[i][0], ring[i][1], container);
    if (where !== 0) return where;
  }
  return 0;
}

type Box = [number, number, number, number];

function boxOf(ring: Pos[]): Box {
  const box: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) {
    if (x < box[0]) box[0] = x;
    if (y < box[1]) box[1] = y;
    if (x > box[2]) box[2] = x;
    if (y > box[3]) box[3] = y;
  }
  return box;
}

/** Calls `visit(outer, inner)` for each ordered pair whose boxes nest (inner's box within outer's). */
function forNestedBoxes(boxes: Box[], visit: (outer: number, inner: number) => void): void {
  if (boxes.length < 2) return;
  const index = new Flatbush(boxes.length);
  for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
  index.finish();
  for (let inner = 0; inner < boxes.length; inner++) {
    const b = boxes[inner];
    for (const outer of index.search(b[0], b[1], b[2], b[3])) {
      const o = boxes[outer];
      if (outer !== inner && o[0] <= b[0] && o[1] <= b[1] && o[2] >= b[2] && o[3] >= b[3]) visit(outer, inner);
    }
  }
}

/**
 * Refuses self-intersecting rings, crossing rings, misplaced holes and overlapping polygons.
 * `at` names a ring the way the caller's input is shaped (with or without a polygon index);
 * `origins[p][r][i]` is the input index of position i of a ring, before duplicates were dropped.
 */
function assertValidTopology(polygons: Pos[][][], origins: number[][][], at: (polygon: number, ring: number) => Where): void {
  const ringName = (polygon: number, ring: number) => describeWhere(at(polygon, ring));

  // Within one ring: a repeated vertex (figure eight) or an edge folding back on the previous one (spike).
  for (let p = 0; p < polygons.length; p++) {
    for (let r = 0; r < polygons[p].length; r++) {
      const ring = polygons[p][r];
      const n = ring.length - 1;
      // Sorting vertex indices by position puts repeated vertices side by side.
      const order = Array.from({ length: n }, (_, i) => i).sort(
        (i, j) => lexCompare(ring[i][0], ring[i][1], ring[j][0], ring[j][1]) || i - j,
      );
      for (let k = 1; k < n; k++) {
        const [earlier, later] = [order[k - 1], order[k]];
        if (samePos(ring[earlier], ring[later])) {
          const [first, second] = [origins[p][r][earlier], origins[p][r][later]];
          fail(RING_SELF_INTERSECTION, `${capitalised(ringName(p, r))} touches itself at ${fmt(ring[later])} (positions ${first} and ${second}).`, {
            ...at(p, r),
            at: ring[later],
          });
        }
      }
      for (let i = 0; i < n; i++) {
        const prev = ring[(i + n - 1) % n];
        const v = ring[i];
        const next = ring[i + 1];
        const backwards = (prev[0] - v[0]) * (next[0] - v[0]) + (prev[1] - v[1]) * (next[1] - v[1]) > 0;
        if (backwards && orientation(prev[0], prev[1], v[0], v[1], next[0], next[1]) === 0) {
          fail(RING_SELF_INTERSECTION, `${capitalised(ringName(p, r))} doubles back on itself at ${fmt(v)} (position ${origins[p][r][i]}).`, {
            ...at(p, r),
            at: v,
          });
        }
      }
    }
  }

  const edges: Edge[] = [];
  let ringKey = 0;
  for (let p = 0; p < polygons.length; p++) {
    for (let r = 0; r < polygons[p].length; r++, ringKey++) {
      const ring = polygons[p][r];
      for (let i = 0; i < ring.length - 1; i++) {
        const [ax, ay] = ring[i];
        const [bx, by] = ring[i + 1];
        const forward = lexCompare(ax, ay, bx, by) < 0;
        edges.push({
          id: edges.length,
          polygon: p,
          ring: r,
          index: i,
          ringKey,
          ringEdges: ring.length - 1,
          lx: forward ? ax : bx,
          ly: forward ? ay : by,
          rx: forward ? bx : ax,
          ry: forward ? by : ay,
        });
      }
    }
  }
  const conflict = findEdgeConflict(edges);
  if (conflict) {
    const { code, kind } = conflict;
    // Report in input order, so the message reads "ring 0 … ring 1" and "segment 0 … segment 2".
    const [a, b] = conflict.a.id < conflict.b.id ? [conflict.a, conflict.b] : [conflict.b, conflict.a];
    const point = meetingPoint(a, b);
    // Named by the input position each segment starts from: the last of a run of duplicates.
    const segA = origins[a.polygon][a.ring][a.index + 1] - 1;
    const segB = origins[b.polygon][b.ring][b.index + 1] - 1;
    const details = { ...at(a.polygon, a.ring), segment: segA, other: { ...at(b.polygon, b.ring), segment: segB }, at: point };
    const verb = kind === CROSS ? 'crosses' : kind === OVERLAP ? 'runs along' : 'touches';
    if (code === RING_SELF_INTERSECTION) {
      fail(code, `${capitalised(ringName(a.polygon, a.ring))} ${verb} itself at ${fmt(point)}: its segments ${segA} and ${segB} meet there.`, details);
    }
    if (code === POLYGON_SELF_INTERSECTION) {
      fail(code, `${capitalised(ringName(a.polygon, a.ring))} ${verb} ${ringName(b.polygon, b.ring)} at ${fmt(point)}.`, details);
    }
    fail(code, `Polygon ${a.polygon} ${verb} polygon ${b.polygon} at ${fmt(point)}: the polygons of a MultiPolygon may only touch at points.`, details);
  }

  // No rings cross now, so a ring lies wholly inside or outside another, apart from touching points.
  for (let p = 0; p < polygons.length; p++) {
    const [shell, ...holes] = polygons[p];
    for (let h = 0; h < holes.length; h++) {
      if (locateRing(holes[h], shell) === -1) {
        fail(HOLE_OUTSIDE_SHELL, `${capitalised(ringName(p, h + 1))} is a hole outside the outer ring.`, at(p, h + 1));
      }
    }
    forNestedBoxes(holes.map(boxOf), (outer, inner) => {
      if (locateRing(holes[inner], holes[outer]) === 1) {
        fail(HOLE_INSIDE_HOLE, `${capitalised(ringName(p, inner + 1))} lies inside ${ringName(p, outer + 1)}, another hole.`, {
          ...at(p, inner + 1),
          outerRing: outer + 1,
        });
      }
    });
  }
  forNestedBoxes(
    polygons.map((rings) => boxOf(rings[0])),
    (outer, inner) => {
      const [shell, ...holes] = polygons[outer];
      const island = polygons[inner][0];
      if (locateRing(island, shell) !== 1) return;
      // An island inside a hole of another polygon is fine; anywhere else inside it is an overlap.
      if (holes.some((hole) => locateRing(island, hole) === 1)) return;
      fail(POLYGONS_OVERLAP, `Polygon ${inner} lies inside polygon ${outer}.`, { polygon: inner, other: { polygon: outer } });
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Public parsers

/**
 * Validates and normalises a Polygon or MultiPolygon (RFC 7946) and returns it as a MultiPolygon:
 * altitudes and consecutive duplicate positions are dropped and rings are rewound to RFC 7946
 * §3.1.6 (outer counter-clockwise, holes clockwise) instead of being refused for their winding.
 */
export function parseZoneGeometry(input: unknown, limits: GeometryLimits): GeoJSON.MultiPolygon {
  assertDepth(input, limits.maxDepth);
  const geometry = asGeoJsonObject(input, 'The zone geometry');
  const type = typeOf(geometry, ZONE_TYPES);
  const coordinates = coordinatesOf(geometry, type);
  const multi = type === 'MultiPolygon';
  const reader = new PositionReader(limits.maxVertices);

  const at = (polygon: number, ring: number): Where => (multi ? { polygon, ring } : { ring });
  const readPolygon = (value: unknown, p: number): Pos[][] =>
    reader.list(value, multi ? { polygon: p } : {}, 'rings').map((ring, r) => reader.positions(ring, at(p, r)));
  const raw = multi ? coordinates.map(readPolygon) : [readPolygon(coordinates, 0)];

  const origins: number[][][] = raw.map((rings) => rings.map(() => []));
  const polygons = raw.map((rings, p) => rings.map((ring, r) => normaliseRing(ring, at(p, r), origins[p][r])));
  polygons.forEach((rings, p) => rings.forEach((ring, r) => assertNoAntimeridianCrossing(ring, at(p, r))));
  polygons.forEach((rings, p) => rings.forEach((ring, r) => assertInServiceArea(ring, limits.serviceArea, at(p, r))));
  assertValidTopology(polygons, origins, at);
  return rewind({ type: 'MultiPolygon', coordinates: polygons }, false);
}

/** Validates a Point; an altitude is dropped. */
export function parsePoint(input: unknown, limits: GeometryLimits): GeoJSON.Point {
  assertDepth(input, limits.maxDepth);
  const geometry = asGeoJsonObject(input, 'The point');
  const type = typeOf(geometry, ['Point']);
  const coordinates = coordinatesOf(geometry, type);
  const position = new PositionReader(limits.maxVertices).position(coordinates, {});
  if (outside(position, limits.serviceArea)) refuseOutside(position, limits.serviceArea, {}, 'the point');
  return { type: 'Point', coordinates: position };
}

/** Validates a LineString or MultiLineString (roads); consecutive duplicate positions are dropped, self-crossing is allowed. */
export function parseLine(input: unknown, limits: GeometryLimits): GeoJSON.LineString | GeoJSON.MultiLineString {
  assertDepth(input, limits.maxDepth);
  const geometry = asGeoJsonObject(input, 'The line');
  const type = typeOf(geometry, LINE_TYPES);
  const coordinates = coordinatesOf(geometry, type);
  const multi = type === 'MultiLineString';
  const reader = new PositionReader(limits.maxVertices);
  const raw = multi ? coordinates.map((l, i) => reader.positions(l, { line: i })) : [reader.positions(coordinates, {})];
  const at = (line: number): Where => (multi ? { line } : {});

  const lines = raw.map((line, l) => {
    const name = capitalised(describeWhere(at(l), 'the line'));
    if (line.length < 2) fail(LINE_TOO_SHORT, `${name} has a single position; a line needs at least 2.`, at(l));
    const cleaned = withoutConsecutiveDuplicates(line);
    if (cleaned.length < 2) fail(LINE_DEGENERATE, `${name} has all its positions at one point.`, at(l));
    return cleaned;
  });
  lines.forEach((line, l) => assertNoAntimeridianCrossing(line, at(l)));
  lines.forEach((line, l) => assertInServiceArea(line, limits.serviceArea, at(l)));
  return multi ? { type: 'MultiLineString', coordinates: lines } : { type: 'LineString', coordinates: lines[0] };
}

/** A parsed feature: its validated geometry, its properties (`{}` when null) and its id if it had one. */
export interface ParsedFeature<T> {
  geometry: T;
  properties: Record<string, unknown>;
  id?: string | number;
}

function readFeature<T>(
  input: unknown,
  parseGeometry: (g: unknown, l: GeometryLimits) => T,
  limits: GeometryLimits,
  depthBudget: number,
): ParsedFeature<T> {
  assertDepth(input, depthBudget);
  const obj = asGeoJsonObject(input, 'The feature');
  const type = typeOf(obj, [...GEOMETRY_TYPES, 'Feature'], 'a Feature or a geometry');
  if (type !== 'Feature') return { geometry: parseGeometry(obj, limits), properties: {} };

  const geometry = member(obj, 'geometry');
  if (geometry === null || geometry === undefined) {
    fail(FEATURE_GEOMETRY_NULL, `The feature's geometry is ${geometry === null ? 'null' : 'missing'}; a geometry is required here.`);
  }
  const properties = member(obj, 'properties');
  if (properties !== null && properties !== undefined && (typeof properties !== 'object' || Array.isArray(properties))) {
    fail(FEATURE_PROPERTIES_INVALID, `Feature "properties" must be an object or null, got ${kindOf(properties)}.`);
  }
  const id = member(obj, 'id');
  if (id !== undefined && typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
    fail(FEATURE_ID_INVALID, `Feature "id" must be a string or a number, got ${kindOf(id)}.`);
  }
  return {
    geometry: parseGeometry(geometry, limits),
    properties: properties ? { ...(properties as Record<string, unknown>) } : {},
    ...(id !== undefined ? { id: id as string | number } : {}),
  };
}

/**
 * Accepts a Feature or a bare geometry and validates its geometry with `parseGeometry`
 * (e.g. `parseFeature(body, parsePoint, limits)`). A bare geometry gets empty properties.
 */
export function parseFeature<T>(
  input: unknown,
  parseGeometry: (g: unknown, l: GeometryLimits) => T,
  limits: GeometryLimits,
): ParsedFeature<T> {
  return readFeature(input, parseGeometry, limits, limits.maxDepth);
}

/** One refused feature of a FeatureCollection, as listed in the error's `details.errors`. */
export interface FeatureError {
  index: number;
  code: GeometryErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** At most this many refused features are listed in one error; `details.errorCount` has the total. */
export const MAX_LISTED_FEATURE_ERRORS = 100;

/**
 * Parses a FeatureCollection for imports, all or nothing: every feature is validated, and if any is
 * refused the whole collection is, with `details.errors` naming each refused feature by its index.
 * `maxDepth` counts from the collection, so a feature has two levels fewer than a bare geometry.
 */
export function parseFeatureCollection<T>(
  input: unknown,
  parseGeometry: (g: unknown, l: GeometryLimits) => T,
  limits: GeometryLimits,
  /** @defaultValue 10000 */
  maxFeatures = 10_000,
): ParsedFeature<T>[] {
  const obj = asGeoJsonObject(input, 'The import');
  typeOf(obj, ['FeatureCollection']);
  const features = member(obj, 'features');
  if (!Array.isArray(features)) {
    fail(FEATURE_COLLECTION_FEATURES_MISSING, `The FeatureCollection has no "features" array${got(features)}.`);
  }
  if (features.length > maxFeatures) {
    fail(FEATURE_COLLECTION_TOO_LARGE, `The FeatureCollection has ${features.length} features; at most ${maxFeatures} are accepted at once.`, {
      maxFeatures,
    });
  }
  const parsed: ParsedFeature<T>[] = [];
  const errors: FeatureError[] = [];
  let errorCount = 0;
  for (let index = 0; index < features.length; index++) {
    try {
      parsed.push(readFeature(features[index], parseGeometry, limits, limits.maxDepth - 2));
    } catch (error) {
      if (!(error instanceof GeometryInputError)) throw error;
      errorCount++;
      if (errors.length < MAX_LISTED_FEATURE_ERRORS) {
        errors.push({ index, code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) });
      }
    }
  }
  if (errorCount > 0) {
    const first = errors[0];
    fail(
      FEATURE_COLLECTION_INVALID,
      `${errorCount} of ${features.length} features were refused; the first is feature ${first.index}: ${first.message}`,
      { errors, errorCount },
    );
  }
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// Query parameters

/** A plain decimal as typed by a person or a client: no hex, no blanks, no "Infinity". */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses the OGC `bbox=minLon,minLat,maxLon,maxLat` query parameter (a 6-value 3D box has its
 * heights ignored). Returns null when the parameter is absent or empty. Boxes across the
 * antimeridian (minLon > maxLon) are refused, as is a box larger than `maxAreaDeg2` square degrees.
 */
export function parseBbox(s: unknown, maxAreaDeg2: number): [number, number, number, number] | null {
  if (s === undefined || s === '') return null;
  if (typeof s !== 'string' || s.length > 200) fail(BBOX_MALFORMED, `bbox must be a single parameter minLon,minLat,maxLon,maxLat.`);
  const parts = s.split(',').map((part) => part.trim());
  if ((parts.length !== 4 && parts.length !== 6) || !parts.every((part) => DECIMAL.test(part))) {
    fail(BBOX_MALFORMED);
  }
  const values = parts.map(Number);
  const [minLon, minLat, maxLon, maxLat] = values.length === 4 ? values : [values[0], values[1], values[3], values[4]];
  if (![minLon, maxLon].every((v) => v >= -180 && v <= 180) || ![minLat, maxLat].every((v) => v >= -90 && v <= 90)) {
    fail(BBOX_OUT_OF_RANGE);
  }
  if (minLon > maxLon || minLat > maxLat) fail(BBOX_INVERTED);
  const area = (maxLon - minLon) * (maxLat - minLat);
  if (area > maxAreaDeg2) {
    fail(BBOX_TOO_LARGE, `bbox covers ${+area.toFixed(4)} square degrees; at most ${maxAreaDeg2} are served at once.`, { maxAreaDeg2 });
  }
  return [minLon, minLat, maxLon, maxLat];
}

function coordinateParam(value: unknown, name: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(COORDINATE_MALFORMED, `${name} must be a finite number.`, { parameter: name });
    return value;
  }
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length === 0 || text.length > 40 || !DECIMAL.test(text)) {
    fail(COORDINATE_MALFORMED, `${name} must be a decimal number such as 115.985.`, { parameter: name });
  }
  return Number(text);
}

/**
 * Parses `lon` and `lat` query parameters (strings, or numbers from a JSON body) into a WGS84
 * position; with `serviceArea`, the position must also lie inside it.
 */
export function parseLonLat(lon: unknown, lat: unknown, serviceArea?: LonLatBox): { lon: number; lat: number } {
  const missing = (v: unknown) => v === undefined || v === null || v === '';
  if (missing(lon) || missing(lat)) {
    fail(COORDINATE_MISSING, `Both lon and lat are required${missing(lon) && missing(lat) ? '' : missing(lon) ? '; lon is missing' : '; lat is missing'}.`);
  }
  const x = coordinateParam(lon, 'lon');
  const y = coordinateParam(lat, 'lat');
  if (x < -180 || x > 180 || y < -90 || y > 90) {
    fail(POSITION_OUT_OF_RANGE, `[${x}, ${y}] is not a position: longitude must lie in [-180, 180] and latitude in [-90, 90].`);
  }
  if (serviceArea && outside([x, y], serviceArea)) refuseOutside([x, y], serviceArea, {}, 'the position');
  return { lon: x, lat: y };
}

// ---------------------------------------------------------------------------------------------
// zod

/**
 * A zod schema that validates with one of the parsers above. A refusal is thrown as the
 * GeometryInputError itself (zod passes exceptions from transforms through, also from safeParse),
 * so the stable code reaches the client through the one error handler instead of a generic issue.
 */
export function zGeometry<T>(parse: (g: unknown, l: GeometryLimits) => T, limits: GeometryLimits) {
  return z.unknown().transform((value) => parse(value, limits));
}

/** zod schema for a zone's Polygon or MultiPolygon, normalised to a MultiPolygon. */
export const zZoneGeometry = (limits: GeometryLimits) => zGeometry(parseZoneGeometry, limits);
/** zod schema for a Point. */
export const zPoint = (limits: GeometryLimits) => zGeometry(parsePoint, limits);
/** zod schema for a LineString or MultiLineString. */
export const zLine = (limits: GeometryLimits) => zGeometry(parseLine, limits);
