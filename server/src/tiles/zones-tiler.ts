// Cutting the zones' vector tiles in memory, by the rule PostGIS's ST_AsMVTGeom follows (PostGIS
// 3.3, postgis/mvt.c `mvt_geom`): each zone is moved to the tile's grid (Web Mercator, EPSG:3857,
// the tile's envelope as ST_TileEnvelope makes it), snapped to whole tile units, rid of repeated and
// collinear points, then clipped to the tile grown by its buffer; a zone left without area is not in
// the tile. Snapping before clipping, and clipping as PostGIS does, is what decides whether a zone
// that only grazes the buffer is in the tile: geojson-vt clips first and rounds after, and kept
// zones PostGIS drops (slivers of half a unit), so the zones of a tile differed from ST_AsMVT's in
// 13 of 300 sampled tiles.
//
// Runs on a worker thread (workers/tasks.ts `cutTile`), with an index made once per map.

import Flatbush from 'flatbush';
import { TILE_BUFFER, TILE_EXTENT, ZONES_LAYER } from './tile-grid';

/** Web Mercator's sphere radius and half the world's width (EPSG:3857), as PostGIS uses them. */
const EARTH_RADIUS = 6378137;
const HALF_WORLD = 20037508.342789244;
const MAX_LAT = 85.0511287798066;
const textEncoder = new TextEncoder();

/** What a tile says of a zone: the properties the PostGIS tiles carried (a null one is left out). */
export interface ZoneTileProps {
  id: string;
  kind: string;
  name: string;
  nextChangeOn: string | null;
}

/** A zone as the tiler holds it: its polygons' rings in EPSG:3857 metres, x and y interleaved. */
interface MercatorZone {
  properties: ZoneTileProps;
  polygons: Float64Array[][];
}

/** The zones of one map, projected once, with a spatial index of their boxes in metres. */
export interface ZonesTiler {
  zones: MercatorZone[];
  index: Flatbush | null;
  /** A property value's UTF-8 bytes, encoded once per map. */
  utf8: (value: string) => Uint8Array;
}

const toMercatorX = (lon: number) => (EARTH_RADIUS * lon * Math.PI) / 180;
const toMercatorY = (lat: number) => {
  const phi = (Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180;
  return EARTH_RADIUS * Math.log(Math.tan(Math.PI / 4 + phi / 2));
};

/** Projects every zone once and indexes their boxes. */
export function zonesTiler(features: { geometry: GeoJSON.MultiPolygon | GeoJSON.Polygon; properties: ZoneTileProps }[]): ZonesTiler {
  const zones: MercatorZone[] = [];
  const boxes: number[] = [];
  for (const f of features) {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    const projected = polygons.map((rings) =>
      rings.map((ring) => {
        const out = new Float64Array(ring.length * 2);
        ring.forEach(([lon, lat], i) => {
          const x = toMercatorX(lon);
          const y = toMercatorY(lat);
          out[2 * i] = x;
          out[2 * i + 1] = y;
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        });
        return out;
      }),
    );
    zones.push({ properties: f.properties, polygons: projected });
    boxes.push(x0, y0, x1, y1);
  }
  let index: Flatbush | null = null;
  if (zones.length) {
    index = new Flatbush(zones.length);
    for (let i = 0; i < boxes.length; i += 4) index.add(boxes[i], boxes[i + 1], boxes[i + 2], boxes[i + 3]);
    index.finish();
  }
  const encoded = new Map<string, Uint8Array>();
  const utf8 = (value: string) => {
    let bytes = encoded.get(value);
    if (!bytes) encoded.set(value, (bytes = textEncoder.encode(value)));
    return bytes;
  };
  return { zones, index, utf8 };
}

/** C's rint (round half to even), which PostGIS's grid snapping uses. */
function rint(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** A ring as x0, y0, x1, y1, …, closed (the last point repeats the first). */
type Ring = number[];

/** Twice the signed area of a closed ring (shoelace; positive is clockwise with y down, MVT's exterior). */
function doubleArea(r: Ring): number {
  let sum = 0;
  for (let i = 0; i + 3 < r.length; i += 2) sum += r[i] * r[i + 3] - r[i + 2] * r[i + 1];
  return sum;
}

/** Whether point b lies on the line through points a and c (indices into `r`). */
const collinear = (r: Int32Array | Ring, a: number, b: number, c: number) =>
  (r[b] - r[a]) * (r[c + 1] - r[a + 1]) - (r[b + 1] - r[a + 1]) * (r[c] - r[a]) === 0;

/** Scratch space for snapping a ring (grown when a ring is longer). */
let scratch = new Int32Array(4096);

/**
 * A ring moved to the tile's grid: snapped, without repeated or collinear points (in one pass,
 * the points kept as a stack), closed; null when fewer than three points are left.
 */
function snapRing(ring: Float64Array, fx: number, fy: number, xoff: number, yoff: number): Ring | null {
  if (scratch.length < ring.length) scratch = new Int32Array(ring.length * 2);
  const pts = scratch;
  let n = 0; // coordinates kept (2 per point)
  // The closing point repeats the first: left out here, added back at the end.
  for (let i = 0; i + 2 < ring.length; i += 2) {
    const x = rint(fx * ring[i] + xoff);
    const y = rint(fy * ring[i + 1] + yoff);
    if (n && pts[n - 2] === x && pts[n - 1] === y) continue;
    pts[n] = x;
    pts[n + 1] = y;
    while (n >= 4 && collinear(pts, n - 4, n - 2, n)) {
      pts[n - 2] = x;
      pts[n - 1] = y;
      n -= 2;
    }
    n += 2;
  }
  // Where the ring closes: the last point may equal the first, or either may be collinear with its neighbours.
  let first = 0;
  for (;;) {
    if (n - first < 6) return null;
    if (pts[n - 2] === pts[first] && pts[n - 1] === pts[first + 1]) n -= 2;
    else if (collinear(pts, n - 4, n - 2, first)) n -= 2;
    else if (collinear(pts, n - 2, first, first + 2)) first += 2;
    else break;
  }
  const out: Ring = new Array(n - first + 2);
  for (let i = first; i < n; i++) out[i - first] = pts[i];
  out[n - first] = pts[first];
  out[n - first + 1] = pts[first + 1];
  return out;
}

/**
 * The ring clipped to the box [min, max]², as PostGIS clips before its union (wagyu's
 * `quick_lr_clip`, called from PostGIS's `lwgeom_wagyu_clip_by_box`): Sutherland–Hodgman against
 * the bottom, right, top and left sides in that order, a point on a side counting as outside, and
 * each crossing's free coordinate truncated to an integer (wagyu's coordinates are int32). A ring
 * whose box lies inside is kept whole; one whose box misses the tile is gone.
 */
function clipRing(ring: Ring, min: number, max: number): Ring {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < ring.length; i += 2) {
    const x = ring[i];
    const y = ring[i + 1];
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (x0 > max || x1 < min || y0 > max || y1 < min) return [];
  if (x0 >= min && x1 <= max && y0 >= min && y1 <= max) return ring;
  let out = ring;
  for (let side = 0; side < 4 && out.length > 0; side++) {
    // Sides 0 and 2 bound y (min, max), 1 and 3 bound x (max, min).
    const axis = side % 2 === 0 ? 1 : 0;
    const bound = side === 0 || side === 3 ? min : max;
    const inside = side === 0 || side === 3 ? (v: number) => v > bound : (v: number) => v < bound;
    const input = out;
    out = [];
    const cross = (s: number, e: number) => {
      const t = (bound - input[s + axis]) / (input[e + axis] - input[s + axis]);
      const free = Math.trunc(input[s + 1 - axis] + (input[e + 1 - axis] - input[s + 1 - axis]) * t);
      if (axis === 1) out.push(free, bound);
      else out.push(bound, free);
    };
    let s = input.length - 2;
    for (let e = 0; e < input.length; e += 2) {
      if (inside(input[e + axis])) {
        if (!inside(input[s + axis])) cross(s, e);
        out.push(input[e], input[e + 1]);
      } else if (inside(input[s + axis])) cross(s, e);
      s = e;
    }
  }
  if (out.length < 6) return [];
  if (out[0] !== out[out.length - 2] || out[1] !== out[out.length - 1]) out.push(out[0], out[1]);
  return out;
}

/** Reverses a closed ring's direction in place (points, not coordinates). */
function reverseRing(r: Ring): void {
  for (let i = 0, j = r.length - 2; i < j; i += 2, j -= 2) {
    [r[i], r[j]] = [r[j], r[i]];
    [r[i + 1], r[j + 1]] = [r[j + 1], r[i + 1]];
  }
}

/**
 * The Mapbox Vector Tile (layer {@link ZONES_LAYER}) of the zones reaching tile z/x/y; empty bytes
 * when none does.
 */
export function cutZonesTile(tiler: ZonesTiler, z: number, x: number, y: number): Uint8Array {
  if (!tiler.index) return new Uint8Array(0);
  // ST_TileEnvelope's arithmetic, then ST_AsMVTGeom's affine transform to tile units.
  const size = (2 * HALF_WORLD) / 2 ** z;
  const xmin = -HALF_WORLD + size * x;
  const xmax = -HALF_WORLD + size * (x + 1);
  const ymin = HALF_WORLD - size * (y + 1);
  const ymax = HALF_WORLD - size * y;
  const fx = TILE_EXTENT / (xmax - xmin);
  const fy = -(TILE_EXTENT / (ymax - ymin));
  const xoff = -xmin * fx;
  const yoff = -ymax * fy;
  const margin = (size * TILE_BUFFER) / TILE_EXTENT;
  const layer = new LayerWriter(tiler.utf8);
  for (const i of tiler.index.search(xmin - margin, ymin - margin, xmax + margin, ymax + margin).sort((a, b) => a - b)) {
    const zone = tiler.zones[i];
    const rings: Ring[] = [];
    for (const polygon of zone.polygons) {
      for (let r = 0; r < polygon.length; r++) {
        const snapped = snapRing(polygon[r], fx, fy, xoff, yoff);
        const clipped = snapped ? clipRing(snapped, -TILE_BUFFER, TILE_EXTENT + TILE_BUFFER) : [];
        const area = clipped.length >= 8 ? doubleArea(clipped) : 0;
        // A ring of half a square unit (a triangle of two unit sides, what a zone grazing the
        // buffer leaves) is dropped too: PostGIS's union after the clip drops it (all of 9 such
        // rings in 1,300 tiles compared, while it kept every ring of one square unit or more).
        if (Math.abs(area) <= 1) {
          // A polygon whose exterior collapses or falls outside is gone with its holes.
          if (r === 0) break;
          continue;
        }
        // MVT: exteriors of positive area, holes negative, in tile coordinates (y down).
        if (r === 0 ? area < 0 : area > 0) reverseRing(clipped);
        rings.push(clipped);
      }
    }
    if (rings.length) layer.addPolygonFeature(zone.properties, rings);
  }
  return layer.finish();
}

// ---------------------------------------------------------------------------------------------
// Mapbox Vector Tile encoding (vector-tile-spec 2.1): one layer of polygon features. Written here
// rather than through vt-pbf, whose wrapper makes an object per vertex: for a zoom-10 tile of
// thousands of zones that was most of the tile's time.

const KEYS = ['id', 'kind', 'name', 'nextChangeOn'] as const;

/** A growable protobuf writer: varints, and bytes with their length. */
class ProtoWriter {
  buf = new Uint8Array(1024);
  pos = 0;

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  varint(v: number): void {
    this.room(5);
    while (v > 0x7f) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
  }

  /** Bytes as they are (fields encoded elsewhere). */
  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A length-delimited field: a string, or a message encoded elsewhere. */
  bytes(field: number, b: Uint8Array): void {
    this.varint((field << 3) | 2);
    this.varint(b.length);
    this.raw(b);
  }

  /** A packed repeated uint32 field. */
  packed(field: number, values: number[]): void {
    let len = 0;
    for (const v of values) len += varintLength(v);
    this.varint((field << 3) | 2);
    this.varint(len);
    for (const v of values) this.varint(v);
  }

  result(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

const varintLength = (v: number) => (v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5);

const zigzag = (n: number) => ((n << 1) ^ (n >> 31)) >>> 0;

class LayerWriter {
  /** @param encoded a property value's UTF-8 bytes (kept by the tiler: the same names and ids in every tile) */
  constructor(private readonly encoded: (value: string) => Uint8Array) {}

  private readonly features = new ProtoWriter();
  /** One feature's message, written here and then copied into `features` (one buffer for all). */
  private readonly feature = new ProtoWriter();
  private readonly values = new Map<string, number>();
  private count = 0;

  addPolygonFeature(props: ZoneTileProps, rings: Ring[]): void {
    const tags: number[] = [];
    KEYS.forEach((key, k) => {
      const value = props[key];
      // A null property is left out, as ST_AsMVT leaves out a null column.
      if (value === null || value === undefined) return;
      let v = this.values.get(value);
      if (v === undefined) this.values.set(value, (v = this.values.size));
      tags.push(k, v);
    });
    const geometry: number[] = [];
    let cx = 0;
    let cy = 0;
    for (const r of rings) {
      // MoveTo the first point, LineTo the others but the closing one, ClosePath.
      const points = r.length / 2 - 1;
      geometry.push((1 << 3) | 1, zigzag(r[0] - cx), zigzag(r[1] - cy));
      cx = r[0];
      cy = r[1];
      geometry.push(((points - 1) << 3) | 2);
      for (let i = 2; i < points * 2; i += 2) {
        geometry.push(zigzag(r[i] - cx), zigzag(r[i + 1] - cy));
        cx = r[i];
        cy = r[i + 1];
      }
      geometry.push((1 << 3) | 7);
    }
    const f = this.feature;
    f.pos = 0;
    f.packed(2, tags);
    f.varint((3 << 3) | 0);
    f.varint(3); // POLYGON
    f.packed(4, geometry);
    this.features.bytes(2, f.result());
    this.count++;
  }

  finish(): Uint8Array {
    if (this.count === 0) return new Uint8Array(0);
    const layer = new ProtoWriter();
    layer.varint((15 << 3) | 0);
    layer.varint(2); // version
    layer.bytes(1, textEncoder.encode(ZONES_LAYER));
    // The features, each already a length-delimited field 2.
    layer.raw(this.features.result());
    for (const key of KEYS) layer.bytes(3, textEncoder.encode(key));
    for (const value of this.values.keys()) {
      // A Value message holding string_value (field 1).
      const bytes = this.encoded(value);
      layer.varint((4 << 3) | 2);
      layer.varint(1 + varintLength(bytes.length) + bytes.length);
      layer.varint((1 << 3) | 2);
      layer.varint(bytes.length);
      layer.raw(bytes);
    }
    layer.varint((5 << 3) | 0);
    layer.varint(TILE_EXTENT);
    const tile = new ProtoWriter();
    tile.bytes(3, layer.result());
    return tile.result().slice();
  }
}
