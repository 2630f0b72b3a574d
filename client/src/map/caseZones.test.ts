import { describe, expect, it } from 'vitest';
import { booleanWithin, distance } from '@turf/turf';
import { DEFAULT_CASE_RADII, proposeZonesAroundCase } from './caseZones';

const caseLocation: [number, number] = [115.9823, 36.4519];

describe('proposeZonesAroundCase', () => {
  it('proposes one zone of each kind', () => {
    const kinds = proposeZonesAroundCase(caseLocation).map((zone) => zone.kind).sort();
    expect(kinds).toEqual(['controlled', 'precaution', 'sealed']);
  });

  it('nests the sealed zone in the controlled zone and that in the precaution zone', () => {
    const byKind = Object.fromEntries(proposeZonesAroundCase(caseLocation).map((zone) => [zone.kind, zone.geometry]));
    expect(booleanWithin(byKind.sealed!, byKind.controlled!)).toBe(true);
    expect(booleanWithin(byKind.controlled!, byKind.precaution!)).toBe(true);
  });

  it('draws each zone at its radius from the case', () => {
    for (const zone of proposeZonesAroundCase(caseLocation, { sealed: 80, controlled: 600, precaution: 3000 })) {
      const vertex = zone.geometry.coordinates[0]![0]!;
      const metres = distance(caseLocation, vertex, { units: 'meters' });
      expect(metres).toBeCloseTo(zone.radiusMeters, -1);
    }
  });

  it('defaults to about 50 m, 500 m and 2 km', () => {
    expect(DEFAULT_CASE_RADII).toEqual({ sealed: 50, controlled: 500, precaution: 2000 });
  });
});
