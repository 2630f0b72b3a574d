import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import type { SnappableContext, TerraDrawMouseEvent } from 'terra-draw';
import { snapToZones } from './snapping';

// A flat projection: 1000 pixels per degree, y growing southwards as on screen.
const PX_PER_DEGREE = 1000;
const context: SnappableContext = {
  project: (lng, lat) => ({ x: lng * PX_PER_DEGREE, y: -lat * PX_PER_DEGREE }),
  unproject: (x, y) => ({ lng: x / PX_PER_DEGREE, lat: -y / PX_PER_DEGREE }),
  getCurrentGeometrySnapshot: () => null,
};

function pointerAt(lng: number, lat: number): TerraDrawMouseEvent {
  return {
    lng,
    lat,
    containerX: lng * PX_PER_DEGREE,
    containerY: -lat * PX_PER_DEGREE,
    button: 'neither',
    heldKeys: [],
    isContextMenu: false,
  };
}

function squareZone(): Polygon {
  return { type: 'Polygon', coordinates: [[[116, 36], [116.1, 36], [116.1, 36.1], [116, 36.1], [116, 36]]] };
}

describe('snapToZones', () => {
  it('snaps to a vertex of a neighbouring zone within the tolerance', () => {
    const snap = snapToZones(() => [squareZone()], 12);
    expect(snap(pointerAt(116.1005, 36.1004), context)).toEqual([116.1, 36.1]);
  });

  it('snaps onto the nearest edge when no vertex is close', () => {
    const snap = snapToZones(() => [squareZone()], 12);
    const snapped = snap(pointerAt(116.05, 36.0006), context)!;
    expect(snapped[0]).toBeCloseTo(116.05, 9);
    expect(snapped[1]).toBeCloseTo(36, 9);
  });

  it('prefers a vertex over an edge that is closer', () => {
    const snap = snapToZones(() => [squareZone()], 12);
    // 1 px from the bottom edge, 8 px from the corner: the corner wins.
    expect(snap(pointerAt(116.1 - 0.008, 36.001), context)).toEqual([116.1, 36]);
  });

  it('leaves the pointer alone far from every zone', () => {
    const snap = snapToZones(() => [squareZone()], 12);
    expect(snap(pointerAt(116.05, 36.05), context)).toBeUndefined();
  });

  it('follows the zone list as it changes', () => {
    let zones: Polygon[] = [];
    const snap = snapToZones(() => zones, 12);
    expect(snap(pointerAt(116.1005, 36.1004), context)).toBeUndefined();
    zones = [squareZone()];
    expect(snap(pointerAt(116.1005, 36.1004), context)).toEqual([116.1, 36.1]);
  });
});
