/** Admins: the audit log, the expiry run, webhook subscriptions; designators: the dashboard. */
import { z } from 'zod';
import type * as GeoJSON from 'geojson';
import { AUDIT_ACTIONS } from '../vocabulary';
import { Day, Instant, Limit, PastOrToday, RowId, ZoneKind, geometryInput, MultiPolygonGeometry, PointGeometry } from './common';
import { PublishedRef, Transition } from './zones';

// ---------------------------------------------------------------------------------------------
// Audit log

/** GET /api/admin/audit: newest first; `before` pages back by id. */
export const AuditQuery = z
  .object({
    entity: z.string().max(40).optional(),
    entityId: z.string().max(100).optional(),
    limit: Limit.default(100),
    before: z.coerce.number().int().positive().optional(),
  })
  .strict();

/** One entry of the append-only audit log, as stored. */
export const AuditEntry = z.object({
  id: RowId,
  at: Instant,
  actor: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  entity: z.string(),
  entity_id: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});
export const AuditLog = z.array(AuditEntry);

// ---------------------------------------------------------------------------------------------
// Expiry

/** POST /api/admin/expiry/run?asOf=YYYY-MM-DD */
export const ExpiryRunQuery = z.object({ asOf: PastOrToday.optional() }).strict();

/** What a run of the expiry engine recorded and published. */
export const ExpiryRunResult = z.object({
  asOf: Day,
  evaluated: z.number().int(),
  transitions: z.array(Transition.extend({ zoneName: z.string() })),
  revised: z.array(z.object({ zoneId: z.string(), zoneName: z.string(), reason: z.string() })),
  /** Only a run for today publishes. */
  published: z.array(PublishedRef),
});

// ---------------------------------------------------------------------------------------------
// Dashboard

const KindCounts = z.object({ sealed: z.number().int(), controlled: z.number().int(), precaution: z.number().int() });

/** GET /api/dashboard */
export const Dashboard = z.object({
  asOf: Day,
  inForceByKind: KindCounts,
  inForcePerDay: z.array(KindCounts.extend({ date: Day })),
  casesPerDay: z.array(z.object({ date: Day, count: z.number().int() })),
  dueSoon: z.array(
    z.object({
      zoneId: z.string(),
      name: z.string(),
      kind: ZoneKind,
      nextChangeOn: Day.nullable(),
      nextKind: ZoneKind.nullable(),
      liftsNext: z.boolean(),
      waitingFor: z.string().nullable(),
    }),
  ),
});

// ---------------------------------------------------------------------------------------------
// Webhooks

/** POST /api/admin/webhooks: a subscription to the publications that touch one area. */
export const WebhookBody = z
  .object({
    url: z.string().min(1).max(2000),
    secret: z.string().max(200).optional(),
    /** Exactly one of polygon, point with radiusMeters, or countyCode; geometry is checked by the server's parser. */
    area: z
      .object({
        polygon: geometryInput<GeoJSON.Polygon | GeoJSON.MultiPolygon>().optional(),
        point: geometryInput<GeoJSON.Point>().optional(),
        radiusMeters: z.number().optional(),
        countyCode: z.string().min(1).max(20).optional(),
      })
      .strict(),
  })
  .strict();

export const WebhookParams = z.object({ id: z.uuid() });

export const WebhookSubscription = z.object({
  id: z.string(),
  url: z.string(),
  area: z.union([
    z.object({ polygon: MultiPolygonGeometry }),
    z.object({ point: PointGeometry, radiusMeters: z.number() }),
    z.object({ countyCode: z.string() }),
  ]),
  createdBy: z.string(),
  createdAt: Instant,
  scannedThrough: z.number().int(),
  deliveries: z.object({ pending: z.number().int(), delivered: z.number().int(), abandoned: z.number().int(), lastDeliveredPublication: z.number().int().nullable() }),
});
/** POST /api/admin/webhooks: the secret is shown once, here. */
export const CreatedWebhook = WebhookSubscription.extend({ secret: z.string() });
/** GET /api/admin/webhooks */
export const WebhookList = z.object({ subscriptions: z.array(WebhookSubscription) });

export const WebhookDelivery = z.object({
  id: z.number().int(),
  publication: z.number().int(),
  status: z.enum(['pending', 'delivered', 'abandoned', 'cancelled']),
  attempts: z.number().int(),
  nextAttemptAt: Instant.nullable(),
  createdAt: Instant,
  finishedAt: Instant.nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
});
/** GET /api/admin/webhooks/:id/deliveries */
export const WebhookDeliveries = z.object({ deliveries: z.array(WebhookDelivery) });
