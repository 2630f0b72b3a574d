/** Case reports (`/api/cases`, designators only: cases are health data and never public). */
import { z } from 'zod';
import type * as GeoJSON from 'geojson';
import { Day, Limit, LocalizedText, PastOrToday, PointGeometry, ZoneKind, feature, featureCollection, geometryInput } from './common';
import { PublishedRef, Transition } from './zones';

// ---------------------------------------------------------------------------------------------
// Requests

/** POST /api/cases */
export const CaseBody = z.object({
  location: geometryInput<GeoJSON.Point>(),
  reportedOn: PastOrToday.optional(),
  note: z.string().trim().max(2000).default(''),
  amongIsolated: z.boolean().default(false),
});

/** GET /api/cases */
export const CaseListQuery = z.object({ limit: Limit.optional() });

// ---------------------------------------------------------------------------------------------
// Responses

export const CaseEffectKind = z.enum(['restart', 'revert-to-sealed', 'prompt-sealed', 'none']);

/** What a case does to one zone around it, by that zone's edition. */
export const CaseEffect = z.object({
  zoneId: z.string(),
  zoneName: z.string(),
  kind: ZoneKind,
  effect: CaseEffectKind,
  promptSealedZone: z.boolean(),
  message: LocalizedText,
});

/** POST /api/cases */
export const RecordedCase = z.object({
  case: z.object({ id: z.union([z.number(), z.string()]), reportedOn: Day, note: z.string(), amongIsolated: z.boolean(), location: PointGeometry }),
  effects: z.array(CaseEffect),
  transitions: z.array(Transition.extend({ zoneName: z.string() })),
  revised: z.array(z.object({ zoneId: z.string(), zoneName: z.string(), reason: z.string() })),
  publications: z.array(PublishedRef),
});

export const CaseProps = z.object({
  id: z.number(),
  reportedOn: Day,
  note: z.string().nullable(),
  amongIsolated: z.boolean(),
  createdBy: z.string().nullable(),
});

/** GET /api/cases */
export const CaseCollection = featureCollection(feature(PointGeometry, CaseProps));
