/**
 * Turns road polylines into a routable edge list: every vertex shared by two or more lines (or a
 * line's end) becomes a junction, lines are split there, and junctions get integer ids. The
 * result is what both the in-process router and pgRouting read (source/target columns).
 *
 * OSM data already shares a vertex wherever two roads meet; hand-drawn lines (the sample network
 * of geodata/scripts/build-roads.ts) get those vertices from {@link insertCrossings} first.
 */
import { segmentIntersection } from '../geo/planar';

type Position = [number, number];

export interface RoadLine<P> {
  coordinates: Position[];
  props: P;
}

export interface RoadEdge<P> {
  source: number;
  target: number;
  coordinates: Position[];
  props: P;
}

/** Options of {@link nodeRoadLines}. */
export interface NodingOptions {
  /**
   * Positions that are junctions even where only one line passes (checkpoints, toll plazas).
   * @defaultValue none
   */
  junctions?: readonly Position[];
}

// 1e-7° is about 1 cm: coordinates closer than that are the same junction.
const key = (c: Position) => `${Math.round(c[0] * 1e7)},${Math.round(c[1] * 1e7)}`;

/** Splits lines at shared vertices (and at `options.junctions`) and numbers the junctions from 1. */
export function nodeRoadLines<P>(lines: RoadLine<P>[], options: NodingOptions = {}): RoadEdge<P>[] {
  const uses = new Map<string, number>();
  for (const line of lines) {
    const seen = new Set<string>();
    line.coordinates.forEach((c, i) => {
      const k = key(c);
      const isEnd = i === 0 || i === line.coordinates.length - 1;
      // An end counts twice so that it is always a junction; a vertex repeated within one line
      // (a loop) counts once per line.
      if (seen.has(k) && !isEnd) return;
      seen.add(k);
      uses.set(k, (uses.get(k) ?? 0) + (isEnd ? 2 : 1));
    });
  }
  const extra = new Set((options.junctions ?? []).map(key));
  const ids = new Map<string, number>();
  const idOf = (c: Position) => {
    const k = key(c);
    let id = ids.get(k);
    if (id === undefined) {
      id = ids.size + 1;
      ids.set(k, id);
    }
    return id;
  };
  const edges: RoadEdge<P>[] = [];
  for (const line of lines) {
    const coords = dedupe(line.coordinates);
    if (coords.length < 2) continue;
    let start = 0;
    for (let i = 1; i < coords.length; i++) {
      const last = i === coords.length - 1;
      const k = key(coords[i]);
      if (last || (uses.get(k) ?? 0) > 1 || extra.has(k)) {
        const part = coords.slice(start, i + 1);
        if (part.length >= 2) edges.push({ source: idOf(part[0]), target: idOf(part[part.length - 1]), coordinates: part, props: line.props });
        start = i;
      }
    }
  }
  return edges;
}

function dedupe(coords: Position[]): Position[] {
  const out: Position[] = [];
  for (const c of coords) {
    const prev = out[out.length - 1];
    if (!prev || key(prev) !== key(c)) out.push(c);
  }
  return out;
}

/** Two computed coordinates closer than this (degrees, ~1 cm) are the same vertex. */
const SAME_VERTEX_DEG = 1e-7;

/** Computed intersection points are rounded to this many decimals so both lines get identical numbers. */
const ROUND_FACTOR = 1e7;

const sameVertex = (a: Position, b: Position): boolean =>
  Math.abs(a[0] - b[0]) < SAME_VERTEX_DEG && Math.abs(a[1] - b[1]) < SAME_VERTEX_DEG;

const roundPosition = ([lon, lat]: Position): Position => [
  Math.round(lon * ROUND_FACTOR) / ROUND_FACTOR,
  Math.round(lat * ROUND_FACTOR) / ROUND_FACTOR,
];

/** One polyline whose crossings with the others become shared vertices. */
export interface CrossingLine {
  coords: Position[];
  /**
   * Grade-separated lines (expressways) cross other roads on bridges: they are only joined to
   * another line where both already hold the same vertex (an interchange), never at a crossing.
   */
  gradeSeparated: boolean;
}

interface Insertion {
  t: number;
  point: Position;
}

/**
 * Inserts a vertex into both lines wherever two at-grade lines cross or touch, so that
 * {@link nodeRoadLines} joins them there. Lon/lat are treated as planar, accurate enough over the
 * few kilometres of a road segment. Returns new coordinate arrays; the input is not modified.
 * Throws when two lines overlap along a stretch (it must be drawn once).
 */
export function insertCrossings(lines: CrossingLine[]): Position[][] {
  const insertions: Map<number, Insertion[]>[] = lines.map(() => new Map());
  const add = (line: number, segment: number, insertion: Insertion) => {
    const list = insertions[line].get(segment) ?? [];
    list.push(insertion);
    insertions[line].set(segment, list);
  };
  for (let i = 0; i < lines.length; i += 1) {
    if (lines[i].gradeSeparated) continue;
    for (let j = i + 1; j < lines.length; j += 1) {
      if (lines[j].gradeSeparated) continue;
      const a = lines[i].coords;
      const b = lines[j].coords;
      for (let s = 0; s < a.length - 1; s += 1) {
        for (let k = 0; k < b.length - 1; k += 1) {
          const hit = segmentIntersection(a[s], a[s + 1], b[k], b[k + 1]);
          if (hit === null) continue;
          if (hit === 'overlap') {
            throw new Error(`lines ${i} and ${j} overlap along segments ${s} and ${k}: draw shared stretches once`);
          }
          // Reuse an existing vertex when the crossing falls on one, so both lines share its exact numbers.
          const existing = [a[s], a[s + 1], b[k], b[k + 1]].find((v) => sameVertex(v, hit.point));
          const point = existing ?? roundPosition(hit.point);
          if (!sameVertex(point, a[s]) && !sameVertex(point, a[s + 1])) add(i, s, { t: hit.t, point });
          if (!sameVertex(point, b[k]) && !sameVertex(point, b[k + 1])) add(j, k, { t: hit.u, point });
        }
      }
    }
  }
  return lines.map((line, index) => {
    const out: Position[] = [];
    line.coords.forEach((vertex, segment) => {
      out.push(vertex);
      const list = (insertions[index].get(segment) ?? []).sort((x, y) => x.t - y.t);
      for (const { point } of list) {
        if (!sameVertex(out[out.length - 1], point)) out.push(point);
      }
    });
    return out;
  });
}
