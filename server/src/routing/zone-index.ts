/**
 * Which roads each risk zone closes, kept up to date zone by zone.
 *
 * A road edge is closed by a zone when any of its segments touches or crosses the zone's boundary
 * or lies inside it. The test is our own rather than turf's `booleanIntersects`:
 * - it is the planar lon/lat test PostGIS's `ST_Intersects` does on `geometry(…, 4326)`, so the
 *   engine and SQL close the same roads (turf 7 agrees on these cases but adds nothing);
 * - the zone's ring segments go into their own flatbush once, so each road segment is tested only
 *   against the few ring segments near it, and point-in-zone is a ray query on that index;
 * - a coarse grid over the zone classifies whole cells as inside or outside, so the many roads
 *   well inside a large (district-wide) zone are decided without any segment test;
 * - nothing is allocated per candidate edge (turf builds GeoJSON features and splits lines).
 * bench/routing-engine.ts runs both over the same 9,182 candidate edges of 40 zones: 18–84 ms
 * against 206–308 ms for turf, with no disagreement (zone-index.test.ts checks agreement on
 * random zones and roads too). A district-sized zone closing 314,394 edges takes 140–220 ms.
 */
import Flatbush from 'flatbush';
import type { MultiPolygon } from 'geojson';
import { rayCrossesSegment, segmentsIntersect } from '../geo/planar';
import type { LonLat } from './geometry';
import type { RoadGraph } from './graph';

/** Kinds of risk zone (docs/rules.md "Zone kinds"). */
export type ZoneKind = 'sealed' | 'controlled' | 'precaution';

/** Every zone kind, in the order of their closure bits. */
export const ZONE_KINDS: readonly ZoneKind[] = ['sealed', 'controlled', 'precaution'];

/** Kinds a route avoids when the request does not say: sealed and controlled zones. */
export const DEFAULT_AVOIDED_KINDS: readonly ZoneKind[] = ['sealed', 'controlled'];

/** Bit of a zone kind in a closure mask. */
export function kindBit(kind: ZoneKind): number {
  return 1 << ZONE_KINDS.indexOf(kind);
}

/** Mask of the kinds in `kinds`. */
export function kindBits(kinds: readonly ZoneKind[]): number {
  let bits = 0;
  for (const kind of kinds) bits |= kindBit(kind);
  return bits;
}

/** A zone in force that routes may have to avoid. */
export interface AvoidedZone {
  id: string;
  kind: ZoneKind;
  name: string;
  geometry: MultiPolygon;
}

/** How a zone is named in routing results. */
export interface ZoneRef {
  id: string;
  name: string;
  kind: ZoneKind;
}

/** The reference to a zone that results carry. */
export function zoneRef(zone: AvoidedZone): ZoneRef {
  return { id: zone.id, name: zone.name, kind: zone.kind };
}

const CELL_UNKNOWN = 0;
const CELL_INSIDE = 1;
const CELL_OUTSIDE = 2;
const CELL_BOUNDARY = 3;

/** Largest number of grid cells a single road may span before the grid is not worth asking. */
const MAX_CELLS_PER_QUERY = 64;

/**
 * A zone's MultiPolygon prepared for repeated tests: ring segments in a flatbush and a lazily
 * classified grid. Holes are honoured (even–odd rule per polygon part).
 */
export class ZonePolygon {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  private readonly segments: Float64Array;
  private readonly segmentPart: Int32Array;
  private readonly partParity: Uint8Array;
  private readonly segmentIndex: Flatbush | null;

  private gridColumns = 0;
  private gridRows = 0;
  private cellWidth = 0;
  private cellHeight = 0;
  private cells: Uint8Array | null = null;

  // Query state read by the flatbush filters below, which are created once per polygon.
  private qax = 0;
  private qay = 0;
  private qbx = 0;
  private qby = 0;

  constructor(geometry: MultiPolygon) {
    let segmentCount = 0;
    for (const polygon of geometry.coordinates) {
      for (const ring of polygon) segmentCount += Math.max(ring.length - 1, 0);
    }
    this.segments = new Float64Array(segmentCount * 4);
    this.segmentPart = new Int32Array(segmentCount);
    this.partParity = new Uint8Array(geometry.coordinates.length);
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    let s = 0;
    geometry.coordinates.forEach((polygon, part) => {
      for (const ring of polygon) {
        for (let k = 0; k + 1 < ring.length; k++) {
          const [ax, ay] = ring[k];
          const [bx, by] = ring[k + 1];
          this.segments.set([ax, ay, bx, by], s * 4);
          this.segmentPart[s] = part;
          s++;
          minX = Math.min(minX, ax, bx);
          minY = Math.min(minY, ay, by);
          maxX = Math.max(maxX, ax, bx);
          maxY = Math.max(maxY, ay, by);
        }
      }
    });
    this.minX = minX;
    this.minY = minY;
    this.maxX = maxX;
    this.maxY = maxY;
    if (segmentCount === 0) {
      this.segmentIndex = null;
      return;
    }
    const index = new Flatbush(segmentCount);
    const g = this.segments;
    for (let i = 0; i < segmentCount; i++) {
      const o = i * 4;
      index.add(
        Math.min(g[o], g[o + 2]),
        Math.min(g[o + 1], g[o + 3]),
        Math.max(g[o], g[o + 2]),
        Math.max(g[o + 1], g[o + 3]),
      );
    }
    index.finish();
    this.segmentIndex = index;
  }

  /** Whether the zone has no area at all (no rings). */
  get isEmpty(): boolean {
    return this.segmentIndex === null;
  }

  /** Whether the polygon's bbox meets a box. */
  bboxIntersects(minX: number, minY: number, maxX: number, maxY: number): boolean {
    return !(maxX < this.minX || maxY < this.minY || minX > this.maxX || minY > this.maxY);
  }

  private readonly crossesQuerySegment = (i: number): boolean => {
    const g = this.segments;
    const o = i * 4;
    return segmentsIntersect(this.qax, this.qay, this.qbx, this.qby, g[o], g[o + 1], g[o + 2], g[o + 3]);
  };

  // Crossing-number test on a ray from (qax, qay) towards +x.
  private readonly toggleRayCrossing = (i: number): boolean => {
    const g = this.segments;
    const o = i * 4;
    if (rayCrossesSegment(this.qax, this.qay, g[o], g[o + 1], g[o + 2], g[o + 3])) this.partParity[this.segmentPart[i]] ^= 1;
    return false;
  };

  /** Whether a point lies inside the zone (inside any part, outside its holes). */
  containsPoint(x: number, y: number): boolean {
    if (this.segmentIndex === null || !this.bboxIntersects(x, y, x, y)) return false;
    this.partParity.fill(0);
    this.qax = x;
    this.qay = y;
    this.segmentIndex.search(x, y, this.maxX, y, this.toggleRayCrossing);
    for (let p = 0; p < this.partParity.length; p++) if (this.partParity[p] === 1) return true;
    return false;
  }

  /** Whether segment a–b touches or crosses the zone's boundary. */
  segmentMeetsBoundary(ax: number, ay: number, bx: number, by: number): boolean {
    if (this.segmentIndex === null) return false;
    this.qax = ax;
    this.qay = ay;
    this.qbx = bx;
    this.qby = by;
    return this.segmentIndex.collides(
      Math.min(ax, bx),
      Math.min(ay, by),
      Math.max(ax, bx),
      Math.max(ay, by),
      this.crossesQuerySegment,
    );
  }

  /**
   * Whether the polyline of points `from` … `to`−1 in `coords` (lon, lat pairs) touches the zone:
   * a segment meets the boundary, or (meeting none) its first point is inside.
   * A connected line that never meets the boundary is wholly inside or wholly outside, so one
   * point-in-zone test decides the rest.
   */
  intersectsPolyline(coords: ArrayLike<number>, from: number, to: number): boolean {
    if (this.segmentIndex === null) return false;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let k = from; k < to; k++) {
      const x = coords[k * 2];
      const y = coords[k * 2 + 1];
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
    if (!this.bboxIntersects(minX, minY, maxX, maxY)) return false;
    const cell = this.classifyBox(minX, minY, maxX, maxY);
    if (cell === CELL_INSIDE) return true;
    if (cell === CELL_OUTSIDE) return false;
    for (let k = from; k + 1 < to; k++) {
      if (this.segmentMeetsBoundary(coords[k * 2], coords[k * 2 + 1], coords[k * 2 + 2], coords[k * 2 + 3])) {
        return true;
      }
    }
    if (to - from === 1 && this.segmentMeetsBoundary(coords[from * 2], coords[from * 2 + 1], coords[from * 2], coords[from * 2 + 1])) {
      return true;
    }
    return this.containsPoint(coords[from * 2], coords[from * 2 + 1]);
  }

  private buildGrid(): void {
    // About 16 cells per ring segment: boundary cells stay a small share of the grid while the
    // interior of a large zone is covered by cells that answer without any segment test.
    const segmentCount = this.segmentPart.length;
    const target = Math.min(Math.max(segmentCount * 16, 64), 65536);
    const width = Math.max(this.maxX - this.minX, 1e-12);
    const height = Math.max(this.maxY - this.minY, 1e-12);
    const cellSide = Math.sqrt((width * height) / target);
    this.gridColumns = Math.min(Math.max(Math.ceil(width / cellSide), 1), 1024);
    this.gridRows = Math.min(Math.max(Math.ceil(height / cellSide), 1), 1024);
    this.cellWidth = width / this.gridColumns;
    this.cellHeight = height / this.gridRows;
    this.cells = new Uint8Array(this.gridColumns * this.gridRows);
  }

  private cellState(column: number, row: number): number {
    const cells = this.cells as Uint8Array;
    const c = row * this.gridColumns + column;
    let state = cells[c];
    if (state !== CELL_UNKNOWN) return state;
    const x0 = this.minX + column * this.cellWidth;
    const y0 = this.minY + row * this.cellHeight;
    const x1 = x0 + this.cellWidth;
    const y1 = y0 + this.cellHeight;
    // Conservative: a ring segment whose bbox meets the cell makes it a boundary cell, decided
    // exactly per road later; only cells no ring comes near are classified wholesale.
    if ((this.segmentIndex as Flatbush).collides(x0, y0, x1, y1)) state = CELL_BOUNDARY;
    else state = this.containsPoint((x0 + x1) / 2, (y0 + y1) / 2) ? CELL_INSIDE : CELL_OUTSIDE;
    cells[c] = state;
    return state;
  }

  // Inside / outside when every grid cell around the box is free of the boundary, else unknown.
  // The range is widened by one cell on each side so rounding in the cell arithmetic cannot leave
  // part of the box uncovered.
  private classifyBox(minX: number, minY: number, maxX: number, maxY: number): number {
    if (this.cells === null) this.buildGrid();
    const c0 = Math.max(Math.floor((minX - this.minX) / this.cellWidth) - 1, 0);
    const c1 = Math.min(Math.floor((maxX - this.minX) / this.cellWidth) + 1, this.gridColumns - 1);
    const r0 = Math.max(Math.floor((minY - this.minY) / this.cellHeight) - 1, 0);
    const r1 = Math.min(Math.floor((maxY - this.minY) / this.cellHeight) + 1, this.gridRows - 1);
    if ((c1 - c0 + 1) * (r1 - r0 + 1) > MAX_CELLS_PER_QUERY) return CELL_UNKNOWN;
    let result = CELL_UNKNOWN;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const state = this.cellState(c, r);
        if (state === CELL_BOUNDARY) return CELL_UNKNOWN;
        result = state;
      }
    }
    // A box reaching past the polygon's bbox is partly outside, so it can only be "outside".
    const pastBbox = minX < this.minX || minY < this.minY || maxX > this.maxX || maxY > this.maxY;
    if (pastBbox && result === CELL_INSIDE) return CELL_UNKNOWN;
    return result;
  }
}

/** What a call to {@link ZoneClosures.setZones} changed. */
export interface ZoneUpdateSummary {
  added: string[];
  removed: string[];
  /** zones whose kind or geometry changed, so their closures were recomputed */
  changed: string[];
  unchanged: number;
}

/** A zone with its prepared polygon and the sorted edge indexes it closes. */
export interface ZoneClosure {
  readonly zone: AvoidedZone;
  readonly polygon: ZonePolygon;
  readonly closedEdges: Int32Array;
  readonly bit: number;
}

interface ZoneEntry extends ZoneClosure {
  signature: string;
}

function zoneSignature(zone: AvoidedZone): string {
  return `${zone.kind}|${JSON.stringify(zone.geometry.coordinates)}`;
}

/** Sorted edge indexes of `graph` that a zone closes. */
export function edgesClosedByZone(graph: RoadGraph, polygon: ZonePolygon): Int32Array {
  if (polygon.isEmpty || graph.edgeCount === 0) return new Int32Array(0);
  const { coords, geomStart } = graph;
  const found = graph.edgeIndex.search(polygon.minX, polygon.minY, polygon.maxX, polygon.maxY, (e) =>
    polygon.intersectsPolyline(coords, geomStart[e], geomStart[e + 1]),
  );
  return Int32Array.from(found).sort();
}

/**
 * Zone closures over one road graph. `kindMask[e]` has the bit of every zone kind that closes
 * edge e; per-kind counts let a zone be removed or replaced by touching only its own edges.
 * Build a new instance when the graph is rebuilt.
 */
export class ZoneClosures {
  readonly kindMask: Uint8Array;
  private readonly counts: Uint32Array[];
  private readonly entries = new Map<string, ZoneEntry>();
  private zoneIndex: Flatbush | null = null;
  private indexed: ZoneEntry[] = [];

  constructor(readonly graph: RoadGraph) {
    this.kindMask = new Uint8Array(graph.edgeCount);
    this.counts = ZONE_KINDS.map(() => new Uint32Array(graph.edgeCount));
  }

  /**
   * Makes `zones` the zones in force. Only zones that are new, gone, or changed in kind or
   * geometry have their closures recomputed; a renamed zone keeps its closures.
   */
  setZones(zones: readonly AvoidedZone[]): ZoneUpdateSummary {
    const summary: ZoneUpdateSummary = { added: [], removed: [], changed: [], unchanged: 0 };
    const incoming = new Map(zones.map((zone) => [zone.id, zone]));
    for (const [id, entry] of this.entries) {
      if (!incoming.has(id)) {
        this.release(entry);
        this.entries.delete(id);
        summary.removed.push(id);
      }
    }
    for (const zone of incoming.values()) {
      const signature = zoneSignature(zone);
      const existing = this.entries.get(zone.id);
      if (existing && existing.signature === signature) {
        if (existing.zone !== zone) this.entries.set(zone.id, { ...existing, zone });
        summary.unchanged++;
        continue;
      }
      if (existing) {
        this.release(existing);
        summary.changed.push(zone.id);
      } else {
        summary.added.push(zone.id);
      }
      const polygon = new ZonePolygon(zone.geometry);
      const entry: ZoneEntry = {
        zone,
        polygon,
        closedEdges: edgesClosedByZone(this.graph, polygon),
        bit: kindBit(zone.kind),
        signature,
      };
      this.hold(entry);
      this.entries.set(zone.id, entry);
    }
    this.reindex();
    return summary;
  }

  /** The zone closure of a zone id, if that zone is in force. */
  get(zoneId: string): ZoneClosure | undefined {
    return this.entries.get(zoneId);
  }

  /** All zones in force. */
  all(): ZoneClosure[] {
    return [...this.entries.values()];
  }

  /** How many zones of `kind` close edge e. */
  closingCount(kind: ZoneKind, e: number): number {
    return this.counts[ZONE_KINDS.indexOf(kind)][e];
  }

  /** Zones whose kind bit is in `bits` and whose area contains the point. */
  zonesContaining(lon: number, lat: number, bits: number): ZoneClosure[] {
    if (this.zoneIndex === null) return [];
    return this.zoneIndex
      .search(lon, lat, lon, lat)
      .map((i) => this.indexed[i])
      .filter((entry) => (entry.bit & bits) !== 0 && entry.polygon.containsPoint(lon, lat));
  }

  /** Zones whose kind bit is in `bits` and that close edge e. */
  zonesClosingEdge(e: number, bits: number): ZoneClosure[] {
    if (this.zoneIndex === null || (this.kindMask[e] & bits) === 0) return [];
    const { coords, geomStart } = this.graph;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let k = geomStart[e]; k < geomStart[e + 1]; k++) {
      minX = Math.min(minX, coords[k * 2]);
      minY = Math.min(minY, coords[k * 2 + 1]);
      maxX = Math.max(maxX, coords[k * 2]);
      maxY = Math.max(maxY, coords[k * 2 + 1]);
    }
    return this.zoneIndex
      .search(minX, minY, maxX, maxY)
      .map((i) => this.indexed[i])
      .filter((entry) => (entry.bit & bits) !== 0 && sortedIncludes(entry.closedEdges, e));
  }

  private hold(entry: ZoneEntry): void {
    const count = this.counts[ZONE_KINDS.indexOf(entry.zone.kind)];
    for (const e of entry.closedEdges) {
      count[e]++;
      this.kindMask[e] |= entry.bit;
    }
  }

  private release(entry: ZoneEntry): void {
    const count = this.counts[ZONE_KINDS.indexOf(entry.zone.kind)];
    for (const e of entry.closedEdges) {
      if (--count[e] === 0) this.kindMask[e] &= ~entry.bit;
    }
  }

  // A zone index over hundreds of zones takes microseconds, so it is simply rebuilt.
  private reindex(): void {
    this.indexed = [...this.entries.values()].filter((entry) => !entry.polygon.isEmpty);
    if (this.indexed.length === 0) {
      this.zoneIndex = null;
      return;
    }
    const index = new Flatbush(this.indexed.length);
    for (const { polygon } of this.indexed) index.add(polygon.minX, polygon.minY, polygon.maxX, polygon.maxY);
    index.finish();
    this.zoneIndex = index;
  }
}

function sortedIncludes(sorted: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid];
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * Zones that a planned route crosses (touches, crosses or runs inside), for flagging trucks whose
 * route a newly published or changed zone now cuts.
 */
export function routeCrossesZones(coordinates: readonly LonLat[], zones: readonly AvoidedZone[]): ZoneRef[] {
  if (coordinates.length === 0) return [];
  const flat = new Float64Array(coordinates.length * 2);
  coordinates.forEach(([lon, lat], k) => {
    flat[k * 2] = lon;
    flat[k * 2 + 1] = lat;
  });
  return zones
    .filter((zone) => new ZonePolygon(zone.geometry).intersectsPolyline(flat, 0, coordinates.length))
    .map(zoneRef);
}
