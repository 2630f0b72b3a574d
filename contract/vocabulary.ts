/**
 * The words server and client share. Each list is the single source of its vocabulary: the server
 * types what it stores and sends with them, the client types what it reads, and the client's
 * message catalogues must have a label for every item (a missing one fails `npm run typecheck`).
 */

/** The three kinds of risk zone, strictest first: 封控区 / 管控区 / 防范区. */
export const ZONE_KINDS = ['sealed', 'controlled', 'precaution'] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];

/** The protocol editions a zone can be designated under (docs/rules.md). */
export const EDITION_IDS = ['protocol-8', 'shanghai-2022', 'protocol-9', 'twenty-measures'] as const;
export type EditionId = (typeof EDITION_IDS)[number];

/** Where a zone is in its life. */
export const ZONE_STATUSES = ['draft', 'published', 'lifted'] as const;
export type ZoneStatus = (typeof ZONE_STATUSES)[number];

/** Entries of a zone's history (`GET /api/zones/:id/history`). */
export const HISTORY_ACTIONS = [
  'created',
  'edited',
  'edited_pending',
  'published',
  'republished',
  'lifted_by_hand',
  'screening_recorded',
  'rule_transition',
  'rule_revised',
  'state_applied',
  'case_recorded',
] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/** Entries of the audit log (`GET /api/admin/audit`). */
export const AUDIT_ACTIONS = [
  'create',
  'update',
  'delete',
  'publish',
  'lift',
  'rule_transition',
  'rule_revised',
  'state',
  'replan',
  'reset_password',
  'logout_all',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Kinds of publication in the public record (docs/public-record.md). */
export const PUBLICATION_KINDS = ['bulletin', 'correction', 'rule_transition', 'hand_lift', 'reopening', 'update'] as const;
export type PublicationKind = (typeof PUBLICATION_KINDS)[number];

/** What a publication did to one zone. */
export const ZONE_CHANGES = ['designated', 'changed', 'kind_changed', 'lifted', 'reopened', 'dates'] as const;
export type ZoneChange = (typeof ZONE_CHANGES)[number];

/** Account roles. */
export const ROLES = ['admin', 'designator', 'coordinator'] as const;
export type Role = (typeof ROLES)[number];

/** Kinds of medical and isolation facility on the map. */
export const FACILITY_KINDS = ['designated_hospital', 'yellow_code_hospital', 'fangcang', 'isolation_site', 'fever_clinic'] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

/** The hand-over sequence of a reported truck: reported → arrived → en route → handed over. */
export const TRUCK_STATES = ['reported', 'arrived', 'en_route', 'handed_over'] as const;
export type TruckState = (typeof TRUCK_STATES)[number];

/**
 * Today's public map (`GET /api/public/zones` without `asOf`). The service names it in a preload
 * `Link` header on the public page, and the page's first request for it takes that response.
 */
export const PUBLIC_ZONES_PATH = '/api/public/zones';
