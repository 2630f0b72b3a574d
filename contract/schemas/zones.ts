/** Zones: the designators' API (`/api/zones…`). */
import { z } from 'zod';
import type * as GeoJSON from 'geojson';
import { HISTORY_ACTIONS, ZONE_STATUSES } from '../vocabulary';
import { AreaGeometry, Day, EditionId, Instant, LocalizedText, MultiPolygonGeometry, PastOrToday, ZoneKind, feature, featureCollection, geometryInput } from './common';

const text = (max: number) => z.string().trim().max(max);

export const ZoneStatus = z.enum(ZONE_STATUSES);

// ---------------------------------------------------------------------------------------------
// Requests

/** The properties of a new zone (POST /api/zones, and each feature of an import). */
export const ZoneCreateProps = z.object({
  kind: ZoneKind,
  name: text(200).min(1, 'a zone needs a name'),
  reason: text(2000).default(''),
  designatedOn: PastOrToday.optional(),
  edition: EditionId.optional(),
  sample: z.boolean().default(false),
  /** The 四至 (东至…、西至…) printed in the bulletin; without it the bulletin gives the area. */
  extent: text(500).nullable().optional(),
});

/** POST /api/zones: a Feature (or a bare geometry) whose geometry the server's parser checks. */
export const ZoneCreateBody = z.object({
  type: z.literal('Feature'),
  geometry: geometryInput<GeoJSON.Polygon | GeoJSON.MultiPolygon>(),
  properties: ZoneCreateProps,
});

/** What a PATCH may change; an edition only while the zone is a draft. */
export const ZonePatchProps = z
  .object({
    kind: ZoneKind.optional(),
    name: text(200).min(1).optional(),
    reason: text(2000).optional(),
    designatedOn: PastOrToday.optional(),
    edition: EditionId.optional(),
    extent: text(500).nullable().optional(),
  })
  .strict();

/** PATCH /api/zones/:id (with If-Match): a new geometry, new properties, or both. */
export const ZonePatchBody = z.object({
  type: z.string().optional(),
  /** Absent or null: the geometry stays. */
  geometry: geometryInput<GeoJSON.Polygon | GeoJSON.MultiPolygon>().nullish(),
  properties: ZonePatchProps.nullish(),
});

/** GET /api/zones and /api/zones/export. */
export const ZoneListQuery = z.object({ status: ZoneStatus.optional() });

/** POST /api/zones/:id/lift */
export const LiftBody = z.object({
  reason: text(2000).min(1, 'say why the zone is lifted'),
  on: PastOrToday.optional(),
});

/** POST /api/zones/:id/screenings */
export const ScreeningBody = z.object({ on: PastOrToday, negative: z.boolean() });

/** POST /api/zones/import: a FeatureCollection of zones, each validated like POST /api/zones. */
export const ZoneImportBody = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({ type: z.literal('Feature'), geometry: geometryInput<GeoJSON.Polygon | GeoJSON.MultiPolygon>(), properties: z.record(z.string(), z.unknown()).nullable() })),
});

// ---------------------------------------------------------------------------------------------
// Responses

/** The expiry engine's view of a zone today, shared by the public and the designators' answers. */
export const ZoneExpiry = z.object({
  lastCaseOn: Day.nullable(),
  caseFreeDays: z.number().int().nullable(),
  nextChangeOn: Day.nullable(),
  /** The kind the zone becomes on nextChangeOn; null means it will be lifted. */
  nextKind: ZoneKind.nullable(),
  liftsNext: z.boolean(),
  /** What the next change waits for besides days: a negative screening round, or the county's other zones. */
  waitingFor: z.enum(['screening', 'county-zones']).nullable(),
});

/** A published zone's edit that the next bulletin publishes: only the fields edited. */
export const PendingZoneEdit = z.object({
  kind: ZoneKind.optional(),
  name: z.string().optional(),
  reason: z.string().optional(),
  designatedOn: Day.optional(),
  extent: z.string().nullable().optional(),
  hasGeometry: z.boolean().optional(),
  geometry: MultiPolygonGeometry.nullable(),
});

export const ZoneProps = ZoneExpiry.extend({
  id: z.string(),
  kind: ZoneKind,
  name: z.string(),
  reason: z.string(),
  status: ZoneStatus,
  designatedOn: Day,
  edition: EditionId,
  version: z.number().int(),
  countyCode: z.string().nullable(),
  publishedAt: Instant.nullable(),
  bulletinId: z.number().nullable(),
  liftedOn: Day.nullable(),
  liftReason: z.string().nullable(),
  liftedByHand: z.boolean(),
  sample: z.boolean(),
  extent: z.string().nullable(),
  measures: LocalizedText,
  pending: PendingZoneEdit.nullable(),
  createdBy: z.string().nullable(),
  updatedAt: Instant,
});

export const ZoneFeature = feature(MultiPolygonGeometry, ZoneProps);
export const ZoneCollection = featureCollection(ZoneFeature);

/** A rule warning beside a saved zone (e.g. a sealed zone outside every outer zone). */
export const ZoneWarning = z.object({ code: z.string(), message: z.string() });

/** POST /api/zones and PATCH /api/zones/:id answer the zone with its warnings beside it. */
export const SavedZone = ZoneFeature.extend({ warnings: z.array(ZoneWarning) });

/** A publication the write appended to the public record. */
export const PublishedRef = z.object({
  number: z.number().int(),
  kind: z.string(),
  title: z.string(),
  zoneIds: z.array(z.string()),
});

/** POST /api/zones/:id/lift */
export const LiftedZone = ZoneFeature.extend({ publications: z.array(PublishedRef) });

/** A transition the expiry engine recorded. */
export const Transition = z.object({
  zoneId: z.string(),
  effectiveOn: Day,
  from: ZoneKind,
  to: ZoneKind.nullable(),
  rule: z.string(),
  reason: z.string(),
  anchorOn: Day,
  caseFreeDays: z.number(),
  requiredCaseFreeDays: z.number().optional(),
  screeningOn: Day.optional(),
});

/** POST /api/zones/:id/screenings */
export const ScreeningResult = z.object({
  zone: ZoneFeature,
  transitions: z.array(Transition),
  publications: z.array(PublishedRef),
});

export const ZoneHistoryEntry = z.object({
  at: Instant,
  by: z.string().nullable(),
  action: z.enum(HISTORY_ACTIONS),
  version: z.number().int().nullable(),
  fromKind: ZoneKind.nullable(),
  toKind: ZoneKind.nullable(),
  fromStatus: ZoneStatus.nullable(),
  toStatus: ZoneStatus.nullable(),
  rule: z.string().nullable(),
  reason: z.string().nullable(),
  effectiveOn: Day.nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  /** The zone at this version (as the audit log keeps it). */
  snapshot: z.record(z.string(), z.unknown()).nullable(),
  /** A rule transition a late case report moved off the zone's timeline (kept, never rewritten). */
  superseded: z.boolean(),
});

/** GET /api/zones/:id/history, oldest first. */
export const ZoneHistory = z.object({
  zoneId: z.string(),
  entries: z.array(ZoneHistoryEntry),
  screenings: z.array(z.object({ on: Day, negative: z.boolean(), created_by: z.string(), created_at: Instant })),
});

/** POST /api/zones/import (all or none). */
export const ImportResult = z.object({
  created: z.array(z.string()),
  warnings: z.array(ZoneWarning.extend({ zoneId: z.string() })),
});

/**
 * One refused feature of an import, as listed in the refusal's `details.errors` (400
 * `feature_collection_invalid`): its index, and the code and message of its fault.
 */
export const ImportFeatureError = z.object({ index: z.number().int(), code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() });

/** GET /api/zones/export: the zones as a FeatureCollection to download and import again. */
export const ZoneExport = featureCollection(
  feature(
    AreaGeometry,
    z.object({ kind: ZoneKind, name: z.string(), reason: z.string(), designatedOn: Day, edition: EditionId, status: ZoneStatus, sample: z.boolean() }),
  ),
);
