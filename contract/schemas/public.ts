/** The public risk map and "am I in a zone?" (`/api/public/zones`, `/api/public/lookup`). */
import { z } from 'zod';
import { Day, EditionId, Instant, LocalizedText, MultiPolygonGeometry, ZoneKind, feature, featureCollection } from './common';
import { ZoneExpiry } from './zones';

// ---------------------------------------------------------------------------------------------
// Requests

/** GET /api/public/zones */
export const PublicZonesQuery = z
  .object({
    asOf: Day.optional(),
    /** `published` (default): the map as the public was shown it; `corrected`: that day as now known. */
    view: z.enum(['published', 'corrected']).default('published'),
  })
  .strict();

export const CoordinateSystem = z.enum(['wgs84', 'gcj02']);

/**
 * GET /api/public/lookup. lon and lat stay text here: the server reads them with its coordinate
 * parser, which answers `coordinate_malformed` or `coordinate_missing` with the parameter's name.
 */
export const LookupQuery = z.object({ lon: z.string().max(40), lat: z.string().max(40), crs: CoordinateSystem.default('wgs84') }).strict();

// ---------------------------------------------------------------------------------------------
// Responses

export const PublicZoneProps = ZoneExpiry.extend({
  id: z.string(),
  kind: ZoneKind,
  name: z.string(),
  status: z.literal('published'),
  designatedOn: Day,
  publishedAt: Instant.nullable(),
  caseFreeDays: z.number().int(),
  edition: EditionId,
  sample: z.boolean(),
  measures: LocalizedText,
  /** The number of the publication that last changed what the public sees of this zone. */
  publication: z.number().int(),
});

export const PublicZoneFeature = feature(MultiPolygonGeometry, PublicZoneProps);

/** GET /api/public/zones (view=published): the map of a day, and the last publication it includes. */
export const PublicZoneCollection = featureCollection(PublicZoneFeature).extend({
  asOf: Day,
  publication: z.number().int(),
});

const DayState = z.object({
  kind: ZoneKind,
  lastCaseOn: Day.nullable(),
  caseFreeDays: z.number().int(),
  nextChangeOn: Day.nullable(),
  nextKind: ZoneKind.nullable(),
  waitingFor: z.string().nullable(),
});

/** GET /api/public/zones?view=corrected: a day as now known, and how it differs from what was published. */
export const CorrectedZoneCollection = PublicZoneCollection.extend({
  view: z.literal('corrected'),
  differences: z.array(
    z.object({
      zoneId: z.string(),
      name: z.string(),
      published: DayState.nullable(),
      asNowKnown: DayState.nullable(),
      why: z.array(z.enum(['published_later', 'late_case_report', 'late_screening', 'recomputed'])),
    }),
  ),
});

export const LookupZone = ZoneExpiry.extend({
  id: z.string(),
  kind: ZoneKind,
  name: z.string(),
  measures: LocalizedText,
  caseFreeDays: z.number().int(),
  edition: EditionId,
  designatedOn: Day,
});

export const LookupHospital = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  distanceMeters: z.number(),
  approximate: z.boolean(),
});

export const Hotline = z.object({
  county: z.string(),
  township: z.string().nullable(),
  phones: z.array(z.string()),
  approximate: z.boolean(),
});

/** GET /api/public/lookup */
export const LookupResult = z.object({
  point: z.object({ lon: z.number(), lat: z.number() }),
  inServiceArea: z.boolean(),
  region: z.object({ code: z.string(), name: z.string() }).nullable(),
  zones: z.array(LookupZone),
  hospitals: z.array(LookupHospital),
  hotline: Hotline.nullable(),
  /** A note about the answer (outside the city; no township hotline on file). */
  message: LocalizedText.optional(),
});
