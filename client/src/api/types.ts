/**
 * Shapes of the HTTP API (see the API contract). Dates are 'YYYY-MM-DD' calendar days in
 * Asia/Shanghai; coordinates are WGS84 [lon, lat] unless a field says otherwise.
 */
import type {
  Feature,
  FeatureCollection,
  LineString,
  MultiPolygon,
  Point,
  Polygon,
} from 'geojson';

import type { HistoryAction, PublicationKind, ZoneKind } from '../../../contract/vocabulary';

// The vocabularies come from the contract the server uses too (contract/vocabulary.ts).
export type { AuditAction, EditionId, HistoryAction, PublicationKind, Role, ZoneKind, ZoneStatus } from '../../../contract/vocabulary';
/** Strictest first: the order used in lists, legends and lookups. */
export { ZONE_KINDS } from '../../../contract/vocabulary';
import type { ZoneStatus } from '../../../contract/vocabulary';

export type ZoneGeometry = Polygon | MultiPolygon;

export interface LocalizedText {
  zh: string;
  en: string;
}

import type { Role } from '../../../contract/vocabulary';

export interface User {
  id: string;
  username: string;
  role: Role;
}

export interface Edition {
  id: string;
  nameZh: string;
  nameEn: string;
}

export interface OnlineBasemap {
  tiles: string[];
  attribution: string;
}

export interface ServiceConfig {
  serviceArea: [number, number, number, number];
  center: [number, number];
  defaultEdition: string;
  editions: Edition[];
  basemap: { online: OnlineBasemap | null };
  demo: boolean;
}

export interface Health {
  status: 'ok';
  database: 'pglite' | 'postgres';
  postgis: string;
}

export interface RegionProps {
  code: string;
  name: string;
  nameEn: string;
  /** The county seat, [lon, lat]. */
  seat: [number, number] | null;
}

export type FacilityKind =
  | 'designated_hospital'
  | 'yellow_code_hospital'
  | 'fangcang'
  | 'isolation_site'
  | 'fever_clinic';

export interface FacilityProps {
  id: string;
  kind: FacilityKind;
  name: string;
  address: string | null;
  phone: string | null;
  beds: number | null;
  rooms: number | null;
  /** True when the point was placed from an address, not surveyed: drawn as a hollow ring. */
  approximate: boolean;
  placement: string | null;
  sample: boolean;
}

export interface CheckpointProps {
  id: string;
  name: string;
  road: string | null;
  direction: string | null;
  sample: boolean;
}

export interface CoordinatorCheckpointProps extends CheckpointProps {
  pointLeader: string | null;
  phone: string | null;
}

export interface RoadProps {
  id: string;
  name: string | null;
  ref: string | null;
  class: string;
}

/** Properties shared by the public and the designator view of a zone's expiry. */
export interface ZoneExpiry {
  lastCaseOn: string | null;
  caseFreeDays: number | null;
  nextChangeOn: string | null;
  /** The kind the zone becomes on nextChangeOn; null means it will be lifted. */
  nextKind: ZoneKind | null;
  waitingFor: string | null;
}

export interface PublicZoneProps extends ZoneExpiry {
  id: string;
  kind: ZoneKind;
  name: string;
  status: ZoneStatus;
  designatedOn: string;
  publishedAt: string | null;
  edition: string;
  measures: LocalizedText;
  sample?: boolean;
}

export interface PendingZoneEdit {
  kind: ZoneKind;
  name: string;
  reason: string;
  geometry: ZoneGeometry;
}

export interface ZoneProps extends ZoneExpiry {
  id: string;
  kind: ZoneKind;
  name: string;
  reason: string;
  status: ZoneStatus;
  designatedOn: string;
  edition: string;
  version: number;
  publishedAt: string | null;
  liftedOn: string | null;
  countyCode: string | null;
  pending: PendingZoneEdit | null;
  sample?: boolean;
}

export type ZoneFeature = Feature<ZoneGeometry, ZoneProps>;
export type ZoneCollection = FeatureCollection<ZoneGeometry, ZoneProps>;
export type PublicZoneCollection = FeatureCollection<ZoneGeometry, PublicZoneProps>;
export type RegionCollection = FeatureCollection<Polygon | MultiPolygon, RegionProps>;
export type FacilityCollection = FeatureCollection<Point, FacilityProps>;
export type CheckpointCollection = FeatureCollection<Point, CheckpointProps>;
export type CoordinatorCheckpointCollection = FeatureCollection<Point, CoordinatorCheckpointProps>;

export interface ZoneWarning {
  code: string;
  message: string;
}

/** POST /api/zones answers the created feature with the rule warnings beside it. */
export type CreatedZone = ZoneFeature & { warnings?: ZoneWarning[] };

export interface NewZoneProperties {
  kind: ZoneKind;
  name: string;
  reason: string;
  designatedOn?: string;
  edition?: string;
}

export interface ZonePatch {
  geometry?: ZoneGeometry;
  properties?: Partial<Pick<ZoneProps, 'kind' | 'name' | 'reason' | 'designatedOn'>>;
}

export interface ZoneHistoryEntry {
  at: string;
  by: string | null;
  action: HistoryAction;
  version: number | null;
  /** The state before and after, as kinds or statuses (older servers: `from`/`to` only). */
  from?: string | null;
  to?: string | null;
  fromKind?: ZoneKind | null;
  toKind?: ZoneKind | null;
  fromStatus?: ZoneStatus | null;
  toStatus?: ZoneStatus | null;
  rule: string | null;
  reason: string | null;
  effectiveOn: string | null;
  details: Record<string, unknown> | null;
}

export interface LookupZone extends Omit<ZoneExpiry, 'waitingFor'> {
  id: string;
  kind: ZoneKind;
  name: string;
  measures: LocalizedText;
  edition: string;
}

export interface LookupHospital {
  id: string;
  name: string;
  address: string | null;
  phone: string | null;
  distanceMeters: number;
  approximate: boolean;
}

export interface Hotline {
  county: string;
  township: string | null;
  phones: string[];
  approximate: boolean;
}

export interface LookupResult {
  point: { lon: number; lat: number };
  inServiceArea: boolean;
  region: { code: string; name: string } | null;
  zones: LookupZone[];
  hospitals: LookupHospital[];
  hotline: Hotline | null;
  /** A note about the answer (e.g. why no township hotline is known). */
  message?: string | LocalizedText | null;
}

export type CoordinateSystem = 'wgs84' | 'gcj02';

export interface BulletinSummary {
  id: string | number;
  number: string | number;
  /** Every publication of the record is listed: bulletins and the engine's notices. */
  kind: PublicationKind;
  title: string;
  publishedAt: string;
  zoneCount: number;
}

export interface Bulletin {
  id: string | number;
  number: string | number;
  title: string;
  publishedAt: string;
  text: string;
  zones: { id: string; kind: ZoneKind; name: string }[];
}

export type CaseEffectKind = 'restart' | 'revert-to-sealed' | 'prompt-sealed';

export interface CaseEffect {
  zoneId: string;
  effect: CaseEffectKind;
  message: string | LocalizedText;
}

export interface NewCase {
  location: Point;
  reportedOn?: string;
  note?: string;
  amongIsolated?: boolean;
}

export interface CaseProps {
  id: string | number;
  reportedOn: string;
  note: string | null;
  amongIsolated: boolean;
}

export type CaseCollection = FeatureCollection<Point, CaseProps>;

export interface RecordedCase {
  case: Feature<Point, CaseProps> | CaseProps;
  effects: CaseEffect[];
}

export interface Dashboard {
  inForceByKind: Record<ZoneKind, number>;
  inForcePerDay?: { date: string; sealed: number; controlled: number; precaution: number }[];
  casesPerDay: { date: string; count: number }[];
  dueSoon: { zoneId: string; name: string; kind: ZoneKind; nextChangeOn: string; nextKind: ZoneKind | null }[];
}

export interface ImportResult {
  created: string[];
  errors: { index: number; code: string; message: string }[];
}

export type TruckState = 'reported' | 'arrived' | 'en_route' | 'handed_over';

/** A zone named in a route or truck answer. */
export interface ZoneRef {
  id: string;
  kind: ZoneKind;
  name: string;
}

export interface TruckEvent {
  at: string;
  state: TruckState | 'route_planned';
  by?: string | null;
  note: string | null;
}

/** A truck reported before arrival, with its planned route and hand-over state. */
export interface Truck {
  id: string;
  plate: string;
  driverName: string;
  driverPhone: string;
  originCity: string;
  fromHighRiskArea: boolean;
  destination: Point;
  destinationAddress: string;
  /** ISO date-time. */
  expectedArrival: string;
  checkpointId: string | null;
  /** True when the service chose the checkpoint (the fastest route). */
  checkpointChosenByService?: boolean;
  truck?: { heightM: number | null; weightT: number | null };
  state: TruckState;
  route: RouteFeature | null;
  routePlannedAt?: string | null;
  /** Set when a zone published after planning now cuts the route. */
  routeFlag?: { zones: ZoneRef[]; message: LocalizedText } | null;
  version?: number;
  createdBy?: string;
  events?: TruckEvent[];
}

export interface NewTruck {
  plate: string;
  driverName: string;
  driverPhone: string;
  originCity: string;
  fromHighRiskArea: boolean;
  destination: Point;
  destinationAddress?: string;
  /** ISO date-time with offset. */
  expectedArrival: string;
  checkpointId: string | null;
  truck?: { heightM?: number; weightT?: number };
}

export interface ReportedTruck {
  truck: Truck;
  /** Why no route could be planned at report time (e.g. route_not_found), or null. */
  routeError: { code: string; message: string; details?: Record<string, unknown> } | null;
}

export type TruckEventState = 'arrived' | 'en_route' | 'handed_over';

export interface RouteRequest {
  from: string | Point;
  to: Point;
  avoid?: ZoneKind[];
  truck?: { heightM?: number; weightT?: number };
}

export interface RouteProps {
  from?: { checkpointId: string | null; name: string | null; point: [number, number] };
  to?: { point: [number, number] };
  distanceMeters: number;
  durationSeconds: number;
  avoidedZones: ZoneRef[] | string[];
  enteredZones: (ZoneRef & { reason?: string })[] | string[];
  roadNames: string[];
  /** Why the route enters a zone (start or destination inside one), when it does. */
  message?: LocalizedText | null;
}

export type RouteFeature = Feature<LineString, RouteProps>;
