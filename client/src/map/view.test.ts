import { describe, expect, it } from 'vitest';
import { fitView, LIAOCHENG_BOUNDS, MERCATOR_HALF_WORLD_METRES, mercator, OPENING_PADDING, svgMercatorTransform } from './view';

describe('fitView', () => {
  const [[west, south], [east, north]] = LIAOCHENG_BOUNDS;

  it('fits the bounds inside the padding and touches it on the tighter side', () => {
    const view = fitView(LIAOCHENG_BOUNDS, 390, 700);
    const [x0, y0] = view.project(west, north);
    const [x1, y1] = view.project(east, south);
    for (const x of [x0, x1]) expect(x).toBeGreaterThanOrEqual(OPENING_PADDING - 1e-6);
    for (const y of [y0, y1]) expect(y).toBeGreaterThanOrEqual(OPENING_PADDING - 1e-6);
    expect(x1).toBeLessThanOrEqual(390 - OPENING_PADDING + 1e-6);
    expect(y1).toBeLessThanOrEqual(700 - OPENING_PADDING + 1e-6);
    // A narrow phone: the width is the tight side, so the bounds span it exactly.
    expect(x1 - x0).toBeCloseTo(390 - 2 * OPENING_PADDING, 6);
    // Centred as MapLibre's fitBounds centres: equal space above and below.
    expect(y0).toBeCloseTo(700 - y1, 6);
  });

  it('counts zoom as MapLibre does: a world 512 px wide at zoom 0', () => {
    const view = fitView(LIAOCHENG_BOUNDS, 390, 700);
    const worldWidth = 512 * 2 ** view.zoom;
    expect(((east - west) / 360) * worldWidth).toBeCloseTo(390 - 2 * OPENING_PADDING, 6);
  });

  it('takes a pixel back to the place it shows', () => {
    const view = fitView(LIAOCHENG_BOUNDS, 1024, 768);
    for (const [lon, lat] of [
      [115.98, 36.45],
      [west, south],
      [east, north],
    ] as const) {
      const [x, y] = view.project(lon, lat);
      const [lon2, lat2] = view.unproject(x, y);
      expect(lon2).toBeCloseTo(lon, 9);
      expect(lat2).toBeCloseTo(lat, 9);
    }
  });
});

describe('mercator', () => {
  it('gives the same pixels through world units as directly', () => {
    const view = fitView(LIAOCHENG_BOUNDS, 390, 700);
    const [mx, my] = mercator(115.98, 36.45);
    const [x1, y1] = view.fromMercator(mx, my);
    const [x2, y2] = view.project(115.98, 36.45);
    expect(x1).toBeCloseTo(x2, 9);
    expect(y1).toBeCloseTo(y2, 9);
  });
});

describe('svgMercatorTransform', () => {
  it('puts a place given in EPSG:3857 metres (y negated, as ST_AsSVG writes it) where project puts it', () => {
    const view = fitView(LIAOCHENG_BOUNDS, 390, 700);
    const [a, b, c, d, e, f] = svgMercatorTransform(view).match(/-?[\d.e+-]+/g)!.map(Number) as [number, number, number, number, number, number];
    for (const [lon, lat] of [
      [115.98, 36.45],
      [115.27, 35.78],
      [116.55, 37.04],
    ] as const) {
      // EPSG:3857 as PostGIS computes it (spherical Web Mercator on the WGS84 semi-major axis).
      const x = (lon * MERCATOR_HALF_WORLD_METRES) / 180;
      const y = Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) * 6378137;
      const [px, py] = view.project(lon, lat);
      expect(a * x + c * -y + e).toBeCloseTo(px, 6);
      expect(b * x + d * -y + f).toBeCloseTo(py, 6);
    }
  });
});
