/**
 * Shapes of the HTTP API, inferred from the contract's schemas (contract/schemas/), which the
 * server parses its requests with and tests/contract/responses.test.ts checks its answers against.
 * Nothing here is written by hand: a field the server stops sending fails the type check where
 * the client reads it. Requests are `z.input` (what the client may send, defaults optional);
 * responses are `z.output` (what the server sends). Dates are 'YYYY-MM-DD' calendar days in
 * Asia/Shanghai; coordinates are WGS84 [lon, lat] unless a field says otherwise.
 */
import type { z } from 'zod';
import type * as S from '../../../contract/schemas';

// The vocabularies come from the contract the server uses too (contract/vocabulary.ts).
export type {
  AuditAction,
  EditionId,
  FacilityKind,
  HistoryAction,
  PublicationKind,
  Role,
  TruckState,
  ZoneKind,
  ZoneStatus,
} from '../../../contract/vocabulary';
/** Strictest first: the order used in lists, legends and lookups. */
export { ZONE_KINDS } from '../../../contract/vocabulary';

type Out<T extends z.ZodType> = z.output<T>;
type In<T extends z.ZodType> = z.input<T>;

export type LocalizedText = Out<typeof S.LocalizedText>;

// Service and base data
export type Health = Out<typeof S.Health>;
export type Edition = Out<typeof S.Edition>;
export type OnlineBasemap = Out<typeof S.OnlineBasemap>;
export type ServiceConfig = Out<typeof S.ServiceConfig>;
export type RegionProps = Out<typeof S.RegionProps>;
export type RegionCollection = Out<typeof S.RegionCollection>;
export type RegionOutlines = Out<typeof S.RegionOutlines>;
export type RoadProps = Out<typeof S.RoadProps>;
export type FacilityProps = Out<typeof S.FacilityProps>;
export type FacilityCollection = Out<typeof S.FacilityCollection>;
export type CheckpointProps = Out<typeof S.CheckpointProps>;
export type CheckpointCollection = Out<typeof S.CheckpointCollection>;
export type CoordinatorCheckpointProps = Out<typeof S.CoordinatorCheckpointProps>;
export type CoordinatorCheckpointCollection = Out<typeof S.CoordinatorCheckpointCollection>;

// Accounts
export type User = Out<typeof S.User>;

// Zones
export type ZoneGeometry = Out<typeof S.AreaGeometry>;
export type ZoneExpiry = Out<typeof S.ZoneExpiry>;
export type PendingZoneEdit = Out<typeof S.PendingZoneEdit>;
export type ZoneProps = Out<typeof S.ZoneProps>;
export type ZoneFeature = Out<typeof S.ZoneFeature>;
export type ZoneCollection = Out<typeof S.ZoneCollection>;
export type ZoneWarning = Out<typeof S.ZoneWarning>;
/** POST /api/zones answers the created feature with the rule warnings beside it. */
export type CreatedZone = Out<typeof S.SavedZone>;
export type NewZoneProperties = In<typeof S.ZoneCreateProps>;
export type ZonePatch = Omit<In<typeof S.ZonePatchBody>, 'type'>;
export type ZoneHistoryEntry = Out<typeof S.ZoneHistoryEntry>;
export type ZoneHistory = Out<typeof S.ZoneHistory>;
export type ScreeningResult = Out<typeof S.ScreeningResult>;
/** POST /api/zones/import: the zones created (all or none) and their rule warnings. */
export type ImportAnswer = Out<typeof S.ImportResult>;
/** A feature an import refused, as listed in the refusal's `details.errors`. */
export type ImportFeatureError = Out<typeof S.ImportFeatureError>;
/** What the import panel shows: what was created, or why each feature was refused. */
export type ImportResult = ImportAnswer & { errors: ImportFeatureError[] };
export type ZoneExport = Out<typeof S.ZoneExport>;

// The public map
export type PublicZoneProps = Out<typeof S.PublicZoneProps>;
export type PublicZoneCollection = Out<typeof S.PublicZoneCollection>;
export type CoordinateSystem = Out<typeof S.CoordinateSystem>;
export type LookupZone = Out<typeof S.LookupZone>;
export type LookupHospital = Out<typeof S.LookupHospital>;
export type Hotline = Out<typeof S.Hotline>;
export type LookupResult = Out<typeof S.LookupResult>;
export type NearbyZone = Out<typeof S.NearbyZone>;
export type HotlineTable = Out<typeof S.HotlineTable>;
export type SearchResult = Out<typeof S.SearchResult>;
export type SearchResponse = Out<typeof S.SearchResponse>;

// Bulletins and the record of publications
export type BulletinSummary = Out<typeof S.PublicationSummary>;
export type Bulletin = Out<typeof S.Publication>;
export type BulletinPreview = Out<typeof S.BulletinPreview>;
export type PublishedBulletin = Out<typeof S.PublishedBulletin>;

// Cases
export type CaseEffectKind = Out<typeof S.CaseEffectKind>;
export type CaseEffect = Out<typeof S.CaseEffect>;
export type NewCase = In<typeof S.CaseBody>;
export type CaseProps = Out<typeof S.CaseProps>;
export type CaseCollection = Out<typeof S.CaseCollection>;
export type RecordedCase = Out<typeof S.RecordedCase>;

// Designators' dashboard
export type Dashboard = Out<typeof S.Dashboard>;

// Trucks and routes
export type ZoneRef = Out<typeof S.ZoneRef>;
export type TruckEvent = Out<typeof S.TruckEvent>;
export type Truck = Out<typeof S.Truck>;
export type NewTruck = In<typeof S.TruckBody>;
export type ReportedTruck = Out<typeof S.ReportedTruck>;
export type TruckEventState = Out<typeof S.TruckEventState>;
export type RouteRequest = In<typeof S.RouteBody>;
export type RouteProps = Out<typeof S.RouteProps>;
export type RouteFeature = Out<typeof S.RouteFeature>;
