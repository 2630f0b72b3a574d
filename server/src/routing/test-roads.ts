/**
 * Small hand-made road networks and zones for the routing tests. They sit at Liaocheng's
 * longitude and latitude but are made up: no real road or zone is described here.
 */
import type { MultiPolygon } from 'geojson';
import type { LonLat } from './geometry';
import type { RoadEdge } from './graph';
import type { AvoidedZone, ZoneKind } from './zone-index';

/** Origin of the test grids. */
export const ORIGIN: LonLat = [116.0, 36.45];
/** Grid step in degrees (about 90 m east–west and 111 m north–south here). */
export const STEP = 0.001;

const METRES_PER_DEG_LAT = 111_195;
const METRES_PER_DEG_LON = METRES_PER_DEG_LAT * Math.cos((36.45 * Math.PI) / 180);

/** Planar length of a line in metres, good enough for made-up roads. */
export function approximateLengthM(line: readonly LonLat[]): number {
  let total = 0;
  for (let k = 0; k + 1 < line.length; k++) {
    total += Math.hypot(
      (line[k + 1][0] - line[k][0]) * METRES_PER_DEG_LON,
      (line[k + 1][1] - line[k][1]) * METRES_PER_DEG_LAT,
    );
  }
  return total;
}

/** Position of grid column c, row r. */
export function gridPoint(c: number, r: number): LonLat {
  return [ORIGIN[0] + c * STEP, ORIGIN[1] + r * STEP];
}

/** A road edge with defaults: two-way, 36 km/h (10 m/s), unnamed residential, no limits. */
export function road(
  id: number,
  source: number,
  target: number,
  geometry: LonLat[],
  overrides: Partial<Omit<RoadEdge, 'id' | 'source' | 'target' | 'geometry'>> = {},
): RoadEdge {
  return {
    id,
    source,
    target,
    geometry,
    lengthM: approximateLengthM(geometry),
    speedKmh: 36,
    oneway: false,
    name: null,
    ref: null,
    cls: 'residential',
    maxHeightM: null,
    maxWeightT: null,
    noTrucks: false,
    ...overrides,
  };
}

/** Node id of grid column c, row r in {@link gridRoads}. */
export function gridNode(columns: number, c: number, r: number): number {
  return r * columns + c + 1;
}

/**
 * A columns × rows grid of two-way streets. Edge ids: east–west edges first, row by row, then
 * north–south edges column by column. Rows are named "Row r Street", columns "Column c Street".
 */
export function gridRoads(columns: number, rows: number): RoadEdge[] {
  const edges: RoadEdge[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c + 1 < columns; c++) {
      edges.push(
        road(edges.length + 1, gridNode(columns, c, r), gridNode(columns, c + 1, r), [gridPoint(c, r), gridPoint(c + 1, r)], {
          name: `Row ${r} Street`,
        }),
      );
    }
  }
  for (let c = 0; c < columns; c++) {
    for (let r = 0; r + 1 < rows; r++) {
      edges.push(
        road(edges.length + 1, gridNode(columns, c, r), gridNode(columns, c, r + 1), [gridPoint(c, r), gridPoint(c, r + 1)], {
          name: `Column ${c} Street`,
        }),
      );
    }
  }
  return edges;
}

/** The grid edge between two neighbouring grid positions, in either direction. */
export function gridEdge(edges: readonly RoadEdge[], columns: number, a: [number, number], b: [number, number]): RoadEdge {
  const u = gridNode(columns, a[0], a[1]);
  const v = gridNode(columns, b[0], b[1]);
  const found = edges.find((e) => (e.source === u && e.target === v) || (e.source === v && e.target === u));
  if (!found) throw new Error(`no grid edge between ${a} and ${b}`);
  return found;
}

/** A rectangular zone between two corners given in grid units (fractions allowed). */
export function rectangleZone(
  id: string,
  kind: ZoneKind,
  [c0, r0]: [number, number],
  [c1, r1]: [number, number],
): AvoidedZone {
  const [x0, y0] = gridPoint(c0, r0);
  const [x1, y1] = gridPoint(c1, r1);
  const geometry: MultiPolygon = {
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [x0, y0],
          [x1, y0],
          [x1, y1],
          [x0, y1],
          [x0, y0],
        ],
      ],
    ],
  };
  return { id, kind, name: `Test zone ${id}`, geometry };
}
