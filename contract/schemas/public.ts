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

/** WGS84/GPS, GCJ-02 (Amap, Tencent) or BD-09 (Baidu): the server converts to WGS84. */
export const CoordinateSystem = z.enum(['wgs84', 'gcj02', 'bd09']);

/**
 * GET /api/public/lookup. lon and lat stay text here: the server reads them with its coordinate
 * parser, which answers `coordinate_malformed` or `coordinate_missing` with the parameter's name.
 */
export const LookupQuery = z
  .object({
    lon: z.string().max(40).optional(),
    lat: z.string().max(40).optional(),
    crs: CoordinateSystem.default('wgs84'),
    /** A township the resident chose in the search (its 9-digit code): marks its hotline row. */
    township: z.string().regex(/^\d{9}$/).optional(),
    /** Without a point: the answer for a county (the zones in force in it). */
    county: z.string().regex(/^\d{6}$/).optional(),
  })
  .strict();

/** GET /api/public/search */
export const SearchQuery = z.object({ q: z.string().max(50) }).strict();

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
  sample: z.boolean().optional(),
});

/** A zone in force near a place that lies in none, with the distance to its outline. */
export const NearbyZone = LookupZone.extend({ distanceMeters: z.number() });

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

/** A county's township hotline table (seed 000); `chosen` marks the township the resident chose. */
export const HotlineTable = z.object({
  county: z.string(),
  rows: z.array(z.object({ id: z.string(), township: z.string(), phones: z.array(z.string()), chosen: z.boolean() })),
});

/** GET /api/public/lookup */
export const LookupResult = z.object({
  /** `point`: the zones containing a place; `county`: a township chosen without a place, answered for its county. */
  scope: z.enum(['point', 'county']),
  point: z.object({ lon: z.number(), lat: z.number() }).nullable(),
  inServiceArea: z.boolean(),
  region: z.object({ code: z.string(), name: z.string() }).nullable(),
  /** The township the resident chose in the search, when it lies in this county. */
  township: z.object({ code: z.string(), name: z.string(), county: z.string() }).nullable(),
  zones: z.array(LookupZone),
  /** When the place is in no zone: the nearest zones in force, nearest first. */
  nearestZones: z.array(NearbyZone),
  hospitals: z.array(LookupHospital),
  hotlines: HotlineTable.nullable(),
  /** Kept for older clients: the chosen township's row, else the county's numbers with no township named. */
  hotline: Hotline.nullable(),
  /** A note about the answer (outside the city; no township hotline on file). */
  message: LocalizedText.optional(),
});

/** What a search result is (GET /api/public/search). */
export const SearchResultType = z.enum(['coordinates', 'zone', 'township', 'county', 'hospital', 'checkpoint']);

export const SearchResult = z.object({
  type: SearchResultType,
  /** Zone, facility or checkpoint id; township or county code; the coordinate system for coordinates. */
  id: z.string(),
  name: z.string(),
  county: z.string().nullable(),
  countyCode: z.string().nullable(),
  /** A point inside it (WGS84); null for a township, whose outline is not known. */
  point: z.tuple([z.number(), z.number()]).nullable(),
  /** Its extent for the camera; a township gets its county's. */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  zoneKind: ZoneKind.optional(),
  facilityKind: z.string().optional(),
  crs: CoordinateSystem.optional(),
  swapped: z.boolean().optional(),
  sample: z.boolean().optional(),
  approximate: z.boolean().optional(),
  score: z.number(),
});

/** GET /api/public/search */
export const SearchResponse = z.object({ query: z.string(), results: z.array(SearchResult) });
