// Webhook subscriptions to the public record (docs/public-record.md). A publication is never
// slowed down by them: nothing here runs inside a publishing transaction. The worker reads the
// record afterwards, queues one delivery per subscription and publication that changed a zone
// touching the subscription's area (the outbox, rows that survive a restart), and sends each
// subscription's deliveries in order, retrying with exponential backoff.

import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { AppError, notFound, validationError, type ErrorCode } from '../errors';
import { parsePoint, parseZoneGeometry, type GeometryLimits } from '../geo/geojson';
import type { WebhooksConfig } from './webhooks.config';
import { checkWebhookUrl, guardedLookup, isAllowListed } from './webhooks.target';
import type { AreaInput, ClaimedDelivery, MatchedZoneRow, WebhooksRepo } from './webhooks.repo';

/** Stable error codes of the webhook subscriptions (targets: {@link WebhookTargetError}). */
export const WebhookErrorCode = {
  areaInvalid: 'webhook_area_invalid',
  countyUnknown: 'webhook_county_unknown',
} as const satisfies Record<string, ErrorCode>;

/** The header carrying the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const SIGNATURE_HEADER = 'X-Signature';
/** Largest circle around a point. */
export const MAX_RADIUS_METERS = 50_000;
/** Publications looked at per subscription per pass, so one pass stays short. */
const SCAN_BATCH = 200;

/** What an admin sends to subscribe. */
export interface SubscriptionInput {
  url: string;
  /** At least 16 characters; generated (and shown once) when left out. */
  secret?: string;
  area: { polygon?: unknown; point?: unknown; radiusMeters?: number; countyCode?: string };
}

/** The hex HMAC-SHA256 of `${timestamp}.${body}` under the subscription's secret. */
export function signature(secret: string, timestamp: number, body: string): string {
  return crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Delay before the attempt after `attempts` failed ones: base·2^(attempts−1), at most `retryMaxMs`, ±10 % jitter. */
export function retryDelay(attempts: number, cfg: Pick<WebhooksConfig, 'retryBaseMs' | 'retryMaxMs'>, random = Math.random): number {
  const exact = Math.min(cfg.retryMaxMs, cfg.retryBaseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  return Math.round(exact * (0.9 + 0.2 * random()));
}

/** The JSON body of one delivery: the publication and the zones of it that touch the area. */
export function deliveryBody(subscriptionId: string, rows: MatchedZoneRow[], publicUrl: string): string {
  const p = rows[0];
  return JSON.stringify({
    subscription: subscriptionId,
    publication: p.publication,
    kind: p.kind,
    title: p.title,
    publishedAt: new Date(p.published_at).toISOString(),
    publishedOn: p.published_on,
    url: `${publicUrl}/api/public/publications/${p.publication}`,
    zones: rows.map((r) => ({ ...r.state, id: r.zone_id, inForce: r.in_force, change: r.change, effectiveOn: r.effective_on })),
  });
}

export interface WebhooksDeps {
  repo: WebhooksRepo;
  config: WebhooksConfig;
  limits: GeometryLimits;
  publicUrl: string;
}

/** The subscriptions (admin API) and the two steps of the worker: queue and deliver. */
export function webhooksService(deps: WebhooksDeps) {
  const { repo, config } = deps;

  const parseArea = async (area: SubscriptionInput['area']): Promise<AreaInput> => {
    const given = (['polygon', 'point', 'countyCode'] as const).filter((k) => area[k] !== undefined);
    if (given.length !== 1) {
      throw new AppError(WebhookErrorCode.areaInvalid, 400, 'The area is exactly one of: polygon (a GeoJSON Polygon or MultiPolygon), point with radiusMeters, or countyCode.');
    }
    if (area.polygon !== undefined) return { polygon: parseZoneGeometry(area.polygon, deps.limits) };
    if (area.point !== undefined) {
      const point = parsePoint(area.point, deps.limits);
      const r = area.radiusMeters;
      if (typeof r !== 'number' || !Number.isFinite(r) || r <= 0 || r > MAX_RADIUS_METERS) {
        throw new AppError(WebhookErrorCode.areaInvalid, 400, `A point needs radiusMeters, more than 0 and at most ${MAX_RADIUS_METERS}.`);
      }
      return { point, radiusMeters: r };
    }
    const code = String(area.countyCode);
    if (!(await repo.countyExists(code))) throw new AppError(WebhookErrorCode.countyUnknown, 400, `No county has the code ${code} (see /api/regions).`, { countyCode: code });
    return { countyCode: code };
  };

  const publicView = (s: Awaited<ReturnType<WebhooksRepo['listSubscriptions']>>[number]) => ({
    id: s.id,
    url: s.url,
    area: s.area_input,
    createdBy: s.created_by,
    createdAt: new Date(s.created_at).toISOString(),
    scannedThrough: s.scanned_through,
    deliveries: { pending: s.pending, delivered: s.delivered, abandoned: s.abandoned, lastDeliveredPublication: s.last_delivered },
  });

  /** One POST; resolves with the status code, rejects when no answer came. */
  const post = (delivery: ClaimedDelivery, signal: AbortSignal): Promise<number> => {
    const url = new URL(delivery.url);
    const timestamp = Math.floor(Date.now() / 1000);
    const body = Buffer.from(delivery.body);
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(
        url,
        {
          method: 'POST',
          signal,
          timeout: config.timeoutMs,
          // Allow-listed hosts may be private by design; every other name is checked where it resolves.
          ...(isAllowListed(url, config.allowHosts) ? {} : { lookup: guardedLookup }),
          headers: {
            'content-type': 'application/json',
            'content-length': body.length,
            'user-agent': 'liaocheng-risk-zones-webhooks/1',
            [SIGNATURE_HEADER]: `t=${timestamp},v1=${signature(delivery.secret, timestamp, delivery.body)}`,
            'x-webhook-delivery': String(delivery.id),
            'x-webhook-publication': String(delivery.publication),
          },
        },
        (res) => {
          // The answer's body is not used; read and drop it so the socket is freed.
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${config.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  };

  return {
    async create(input: SubscriptionInput, createdBy: string) {
      const url = checkWebhookUrl(input.url, config.allowHosts);
      if (input.secret !== undefined && input.secret.length < 16) throw validationError('secret: at least 16 characters.');
      const area = await parseArea(input.area);
      const secret = input.secret ?? crypto.randomBytes(32).toString('base64url');
      const id = crypto.randomUUID();
      await repo.insertSubscription({ id, url: url.toString(), secret, area, createdBy });
      const [row] = await repo.listSubscriptions(id);
      // The only answer that ever shows the secret.
      return { ...publicView(row), secret };
    },
    async list() {
      return (await repo.listSubscriptions()).map(publicView);
    },
    async remove(id: string): Promise<void> {
      if (!(await repo.deleteSubscription(id))) throw notFound('No such webhook subscription.');
    },
    async deliveries(id: string) {
      if ((await repo.listSubscriptions(id)).length === 0) throw notFound('No such webhook subscription.');
      return (await repo.deliveriesOf(id, 100)).map((d) => ({
        id: Number(d.id),
        publication: d.publication,
        status: d.status,
        attempts: d.attempts,
        nextAttemptAt: d.status === 'pending' ? new Date(d.next_attempt_at).toISOString() : null,
        createdAt: new Date(d.created_at).toISOString(),
        finishedAt: d.finished_at ? new Date(d.finished_at).toISOString() : null,
        lastStatusCode: d.last_status_code,
        lastError: d.last_error,
      }));
    },

    /**
     * Queues the deliveries of publications not yet looked at, for every subscription (a batch of
     * them per call). Returns how many subscriptions were scanned: 0 when all are up to date.
     */
    async scan(): Promise<number> {
      const latest = await repo.latestPublication();
      return repo.transaction(async (trx) => {
        const subs = await repo.lockSubscriptionsToScan(trx, latest, 20);
        for (const s of subs) {
          const upTo = Math.min(latest, s.scanned_through + SCAN_BATCH);
          const rows = await repo.matchingZones(trx, s.id, s.scanned_through, upTo);
          const byPublication = new Map<number, MatchedZoneRow[]>();
          for (const r of rows) byPublication.set(r.publication, [...(byPublication.get(r.publication) ?? []), r]);
          const deliveries = [...byPublication.values()].map((zones) => ({ publication: zones[0].publication, body: deliveryBody(s.id, zones, deps.publicUrl) }));
          await repo.queueDeliveries(trx, s.id, deliveries, upTo);
        }
        return subs.length;
      });
    },

    /** Claims the due deliveries (each its subscription's oldest pending one) and sends them. */
    async deliverDue(signal: AbortSignal, limit = 8): Promise<number> {
      const claimed = await repo.claimDue(limit, config.leaseMs + config.timeoutMs);
      await Promise.all(
        claimed.map(async (d) => {
          const started = Date.now();
          let statusCode: number | null = null;
          let error: string | null = null;
          try {
            statusCode = await post(d, signal);
            if (statusCode < 200 || statusCode > 299) error = `answered ${statusCode}`;
          } catch (err) {
            // Stopping: the delivery is given back untried, not counted as a failed attempt.
            // If the release fails too, the claim's lease runs out and another pass retries it; said, not lost.
            if (signal.aborted) return void (await repo.release(d.id).catch((e) => console.error(`[webhooks] delivery ${d.id} not released:`, e)));
            error = err instanceof Error ? err.message.slice(0, 500) : String(err);
          }
          await repo.recordAttempt(d.id, {
            attemptedAt: new Date(started),
            durationMs: Date.now() - started,
            statusCode,
            error,
            delivered: error === null,
            retryInMs: retryDelay(d.attempts + 1, config),
            retryForMs: config.retryForMs,
          });
        }),
      );
      return claimed.length;
    },

    /** Milliseconds until a pending delivery is due; null when none is pending. */
    msUntilNextDue: () => repo.msUntilNextDue(),
  };
}

export type WebhooksService = ReturnType<typeof webhooksService>;
