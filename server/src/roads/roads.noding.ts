/**
 * Turns road polylines into a routable edge list: every vertex shared by two or more lines (or a
 * line's end) becomes a junction, lines are split there, and junctions get integer ids. The
 * result is what both the in-process router and pgRouting read (source/target columns).
 */
export interface RoadLine<P> {
  coordinates: [number, number][];
  props: P;
}

export interface RoadEdge<P> {
  source: number;
  target: number;
  coordinates: [number, number][];
  props: P;
}

// 1e-7° is about 1 cm: coordinates closer than that are the same junction.
const key = (c: [number, number]) => `${Math.round(c[0] * 1e7)},${Math.round(c[1] * 1e7)}`;

/** Splits lines at shared vertices and numbers the junctions from 1. */
export function nodeRoadLines<P>(lines: RoadLine<P>[]): RoadEdge<P>[] {
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
  const ids = new Map<string, number>();
  const idOf = (c: [number, number]) => {
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
      if (last || (uses.get(key(coords[i])) ?? 0) > 1) {
        const part = coords.slice(start, i + 1);
        if (part.length >= 2) edges.push({ source: idOf(part[0]), target: idOf(part[part.length - 1]), coordinates: part, props: line.props });
        start = i;
      }
    }
  }
  return edges;
}

function dedupe(coords: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const c of coords) {
    const prev = out[out.length - 1];
    if (!prev || key(prev) !== key(c)) out.push(c);
  }
  return out;
}
