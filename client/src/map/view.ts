/**
 * The opening view of every map, and the Web Mercator arithmetic to draw it without MapLibre: the
 * phone's overview (PublicOverviewMap.vue) must put each county and zone exactly where the map
 * will put them once it has loaded, so it uses MapLibre's own projection and zoom scale (a world
 * 512 px wide at zoom 0). This module imports nothing from MapLibre, so it costs the first load
 * nothing.
 */

/** Liaocheng city centre. */
export const LIAOCHENG_CENTER: [number, number] = [115.98, 36.45];
export const LIAOCHENG_ZOOM = 8.5;
/**
 * The extent of Liaocheng's eight county-level divisions: the first view fits it, whatever the
 * size of the screen (a fixed zoom cut off Linqing on wide screens and most of the city on phones).
 */
export const LIAOCHENG_BOUNDS: [[number, number], [number, number]] = [
  [115.27, 35.78],
  [116.55, 37.04],
];
/** Pixels left around LIAOCHENG_BOUNDS when the first view fits it. */
export const OPENING_PADDING = 16;

/** MapLibre's world width in pixels at zoom 0. */
const WORLD_PX = 512;

const mercatorX = (lon: number) => (lon + 180) / 360;
const mercatorY = (lat: number) => {
  const sin = Math.sin((lat * Math.PI) / 180);
  return 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
};

/** A place in Web Mercator world units (0–1 across the world, y down), as `FittedView.fromMercator` takes it. */
export const mercator = (lon: number, lat: number): [number, number] => [mercatorX(lon), mercatorY(lat)];

/** A fitted view: its zoom (as MapLibre counts it) and the conversions to and from its pixels. */
export interface FittedView {
  zoom: number;
  project(lon: number, lat: number): [number, number];
  /** The pixel of a place already in world units (see `mercator`). */
  fromMercator(x: number, y: number): [number, number];
  unproject(x: number, y: number): [number, number];
}

/**
 * The view that fits `bounds` into a `width`×`height` box with `padding` pixels around, centred as
 * MapLibre's `fitBounds` centres it.
 */
export function fitView(bounds: [[number, number], [number, number]], width: number, height: number, padding = OPENING_PADDING): FittedView {
  const [[west, south], [east, north]] = bounds;
  const x0 = mercatorX(west);
  const x1 = mercatorX(east);
  const y0 = mercatorY(north);
  const y1 = mercatorY(south);
  // World units to pixels; never negative on a box smaller than its padding.
  const scale = Math.max(1e-9, Math.min((width - 2 * padding) / (x1 - x0), (height - 2 * padding) / (y1 - y0)));
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return {
    zoom: Math.log2(scale / WORLD_PX),
    project: (lon, lat) => [width / 2 + (mercatorX(lon) - cx) * scale, height / 2 + (mercatorY(lat) - cy) * scale],
    fromMercator: (x, y) => [width / 2 + (x - cx) * scale, height / 2 + (y - cy) * scale],
    unproject: (x, y) => {
      const mx = cx + (x - width / 2) / scale;
      const my = cy + (y - height / 2) / scale;
      const lat = (Math.atan(Math.sinh(Math.PI * (1 - 2 * my))) * 180) / Math.PI;
      return [mx * 360 - 180, lat];
    },
  };
}

/** Half the width of the Web Mercator (EPSG:3857) world in metres: x runs from minus this to this. */
export const MERCATOR_HALF_WORLD_METRES = Math.PI * 6378137;

/**
 * The SVG transform that draws path data in EPSG:3857 metres with y negated (as PostGIS's
 * `ST_AsSVG` writes it, see GET /api/regions/outlines) at this view's pixels: outlines sent once
 * are only rescaled by the browser, whatever the size of the screen, with no vertex converted in
 * JavaScript.
 */
export function svgMercatorTransform(view: FittedView): string {
  const [ax, ay] = view.fromMercator(0, 0);
  const scale = view.fromMercator(1, 0)[0] - ax;
  const k = scale / (2 * MERCATOR_HALF_WORLD_METRES);
  return `matrix(${k} 0 0 ${k} ${ax + scale / 2} ${ay + scale / 2})`;
}
