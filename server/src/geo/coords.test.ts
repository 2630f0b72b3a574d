import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84 } from './coords';
import { GeometryInputError } from './geojson';
import { POSITION_INVALID, POSITION_OUT_OF_RANGE } from './geojson-codes';

/** Metres between two nearby positions (equirectangular; plenty for offsets of a few hundred metres). */
function metres(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const k = (Math.PI / 180) * 6_371_000;
  const dx = (a.lon - b.lon) * k * Math.cos((a.lat * Math.PI) / 180);
  const dy = (a.lat - b.lat) * k;
  return Math.hypot(dx, dy);
}

function codeOf(call: () => unknown): string | null {
  try {
    call();
    return null;
  } catch (error) {
    if (error instanceof GeometryInputError) return error.code;
    throw error;
  }
}

// Liaocheng's Dongchangfu district seat, as WGS84 (geodata/regions.geojson).
const DONGCHANGFU = { lon: 115.988349, lat: 36.434669 };

describe('gcj02ToWgs84', () => {
  it('undoes the GCJ-02 offset to within a metre', () => {
    const [lon, lat] = gcoord.transform([DONGCHANGFU.lon, DONGCHANGFU.lat], gcoord.WGS84, gcoord.GCJ02);
    expect(metres(gcj02ToWgs84(lon, lat), DONGCHANGFU)).toBeLessThan(1);
  });

  it('moves a Liaocheng position by hundreds of metres, westwards', () => {
    const converted = gcj02ToWgs84(DONGCHANGFU.lon, DONGCHANGFU.lat);
    const moved = metres(converted, DONGCHANGFU);
    expect({ hundredsOfMetres: moved > 100 && moved < 1000, westwards: converted.lon < DONGCHANGFU.lon }).toEqual({
      hundredsOfMetres: true,
      westwards: true,
    });
  });

  it('leaves positions outside China unchanged', () => {
    expect(gcj02ToWgs84(2.3522, 48.8566)).toEqual({ lon: 2.3522, lat: 48.8566 });
  });

  it('refuses non-finite numbers', () => {
    expect(codeOf(() => gcj02ToWgs84(Number.NaN, 36.4))).toBe(POSITION_INVALID);
  });

  it('refuses positions out of range', () => {
    expect(codeOf(() => gcj02ToWgs84(36.4, 115.9))).toBe(POSITION_OUT_OF_RANGE);
  });
});
