/**
 * Zones proposed around a new case, for the designator to adjust before saving: a small sealed
 * area (the building or compound), a controlled area around it and a precaution area further out.
 * Each is a disc centred on the case, so the sealed zone lies inside the controlled one, which
 * lies inside the precaution one (docs/rules.md: zones nest).
 */
import { circle } from '@turf/turf';
import type { Polygon } from 'geojson';
import type { ZoneKind } from '../api/types';

/** Default radii in metres: ~50 m sealed, ~500 m controlled, ~2 km precaution. */
export const DEFAULT_CASE_RADII: Record<ZoneKind, number> = {
  sealed: 50,
  controlled: 500,
  precaution: 2000,
};

/** Vertices per proposed circle: smooth enough to read as a circle, few enough to edit by hand. */
const CIRCLE_STEPS = 32;

export interface ProposedZone {
  kind: ZoneKind;
  radiusMeters: number;
  geometry: Polygon;
}

/** Proposes the three nested zones around `caseLocation` ([lon, lat]) with the given radii. */
export function proposeZonesAroundCase(
  caseLocation: [number, number],
  radii: Record<ZoneKind, number> = DEFAULT_CASE_RADII,
): ProposedZone[] {
  return (['precaution', 'controlled', 'sealed'] as const).map((kind) => ({
    kind,
    radiusMeters: radii[kind],
    geometry: circle(caseLocation, radii[kind] / 1000, { steps: CIRCLE_STEPS, units: 'kilometers' }).geometry,
  }));
}
