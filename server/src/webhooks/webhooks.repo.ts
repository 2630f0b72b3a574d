import type { Knex } from 'knex';

/** How the admin described the area; stored as given and shown back in the list. */
export type AreaInput =
  | { polygon: GeoJSON.MultiPolygon }
  | { point: GeoJSON.Point; radiusMeters: number }
  | { countyCode: string };

export interface SubscriptionRow {
  id: string;
  url: string;
  area_input: AreaInput;
  scanned_through: number;
  created_by: string;
  created_at: Date;
  pending: number;
  delivered: number;
  abandoned: number;
  last_delivered: number | null;
}

/** A delivery claimed by this process, with what it needs to send it. */
export interface ClaimedDelivery {
  id: number;
  subscription_id: string;
  publication: number;
  body: string;
  attempts: number;
  url: string;
  secret: string;
}

export interface DeliveryRow {
  id: number;
  publication: number;
  status: 'pending' | 'delivered' | 'abandoned' | 'cancelled';
  attempts: number;
  next_attempt_at: Date;
  created_at: Date;
  finished_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
}

/** A publication and the zones of it that touch one subscription's area. */
export interface MatchedZoneRow {
  publication: number;
  kind: string;
  title: string;
  published_at: Date;
  published_on: string;
  zone_id: string;
  in_force: boolean;
  change: string;
  effective_on: string;
  state: Record<string, unknown>;
}

/** The outcome of one attempt, as recorded. */
export interface AttemptOutcome {
  attemptedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  delivered: boolean;
  /** When not delivered: the delay before the next attempt. */
  retryInMs: number;
  /** When not delivered: give up if the delivery was queued longer ago than this. */
  retryForMs: number;
}


/** SQL of the webhook subscriptions, their outbox of deliveries and the attempts. */
export function webhooksRepo(knex: Knex) {
  return {
    transaction<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
      return knex.transaction(fn);
    },

    async countyExists(code: string): Promise<boolean> {
      return Boolean(await knex('regions').where({ code }).first('code'));
    },

    /** Stores a subscription; it hears of the publications after the latest one now. */
    async insertSubscription(s: { id: string; url: string; secret: string; area: AreaInput; createdBy: string }): Promise<void> {
      const areaSql =
        'polygon' in s.area
          ? knex.raw('ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)', [JSON.stringify(s.area.polygon)])
          : 'point' in s.area
            ? // Metres on the ground: buffered as geography, stored back as a 4326 polygon.
              knex.raw('ST_Buffer(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)::geography, ?)::geometry', [JSON.stringify(s.area.point), s.area.radiusMeters])
            : knex.raw('(SELECT geom FROM regions WHERE code = ?)', [s.area.countyCode]);
      await knex.raw(
        `INSERT INTO webhook_subscriptions (id, url, secret, area_input, area, scanned_through, created_by)
         VALUES (?, ?, ?, ?::jsonb, ?, (SELECT coalesce(max(number), 0) FROM publications), ?)`,
        [s.id, s.url, s.secret, JSON.stringify(s.area), areaSql, s.createdBy],
      );
    },

    async listSubscriptions(id?: string): Promise<SubscriptionRow[]> {
      const res = await knex.raw(
        `SELECT s.id, s.url, s.area_input, s.scanned_through, s.created_by, s.created_at,
                count(*) FILTER (WHERE d.status = 'pending')::int AS pending,
                count(*) FILTER (WHERE d.status = 'delivered')::int AS delivered,
                count(*) FILTER (WHERE d.status = 'abandoned')::int AS abandoned,
                max(d.publication) FILTER (WHERE d.status = 'delivered') AS last_delivered
         FROM webhook_subscriptions s
         LEFT JOIN webhook_deliveries d ON d.subscription_id = s.id
         WHERE s.deleted_at IS NULL AND (?::uuid IS NULL OR s.id = ?::uuid)
         GROUP BY s.id
         ORDER BY s.created_at, s.id`,
        [id ?? null, id ?? null],
      );
      return res.rows;
    },

    /** Marks a subscription deleted and cancels what it still had to deliver; false when unknown. */
    async deleteSubscription(id: string): Promise<boolean> {
      return knex.transaction(async (trx) => {
        const n = await trx('webhook_subscriptions').where({ id }).whereNull('deleted_at').update({ deleted_at: trx.fn.now() });
        if (n === 0) return false;
        await trx('webhook_deliveries').where({ subscription_id: id, status: 'pending' }).update({ status: 'cancelled', finished_at: trx.fn.now() });
        return true;
      });
    },

    /** A subscription's deliveries, newest first, with the last attempt's outcome. */
    async deliveriesOf(id: string, limit: number): Promise<DeliveryRow[]> {
      const res = await knex.raw(
        `SELECT d.id, d.publication, d.status, d.attempts, d.next_attempt_at, d.created_at, d.finished_at,
                a.status_code AS last_status_code, a.error AS last_error
         FROM webhook_deliveries d
         LEFT JOIN LATERAL (SELECT status_code, error FROM webhook_attempts WHERE delivery_id = d.id ORDER BY id DESC LIMIT 1) a ON true
         WHERE d.subscription_id = ?
         ORDER BY d.publication DESC
         LIMIT ?`,
        [id, limit],
      );
      return res.rows;
    },

    async latestPublication(): Promise<number> {
      const row = await knex('publications').max<{ n: number | null }>({ n: 'number' }).first();
      return Number(row?.n ?? 0);
    },

    /**
     * Subscriptions with publications left to look at, locked for this transaction. SKIP LOCKED:
     * another process scanning one of them takes the others instead of waiting.
     */
    async lockSubscriptionsToScan(trx: Knex.Transaction, latest: number, limit: number): Promise<{ id: string; scanned_through: number }[]> {
      const res = await trx.raw(
        `SELECT id, scanned_through FROM webhook_subscriptions
         WHERE deleted_at IS NULL AND scanned_through < ?
         ORDER BY id LIMIT ?
         FOR UPDATE SKIP LOCKED`,
        [latest, limit],
      );
      return res.rows;
    },

    /** The zones of publications (after, upTo] whose geometry as served touches the subscription's area. */
    async matchingZones(trx: Knex.Transaction, subscriptionId: string, after: number, upTo: number): Promise<MatchedZoneRow[]> {
      const res = await trx.raw(
        `SELECT p.number AS publication, p.kind, p.title, p.published_at, p.published_on::text AS published_on,
                pz.zone_id, pz.in_force, pz.change, pz.effective_on::text AS effective_on, pz.state
         FROM publications p
         JOIN publication_zones pz ON pz.publication = p.number
         JOIN webhook_subscriptions s ON s.id = ?
         WHERE p.number > ? AND p.number <= ?
           -- A zone's geometry as served by the publication: its own entry's or, stored only when it
           -- changes, the latest one before it (read off the publication_zones_zone index).
           AND ST_Intersects(s.area, ST_SetSRID(ST_GeomFromGeoJSON(coalesce(pz.geometry, (
             SELECT g.geometry FROM publication_zones g
             WHERE g.zone_id = pz.zone_id AND g.publication < pz.publication AND g.geometry IS NOT NULL
             ORDER BY g.publication DESC LIMIT 1))), 4326))
         ORDER BY p.number, pz.zone_id`,
        [subscriptionId, after, upTo],
      );
      return res.rows;
    },

    async queueDeliveries(trx: Knex.Transaction, subscriptionId: string, deliveries: { publication: number; body: string }[], scannedThrough: number): Promise<void> {
      for (const d of deliveries) {
        await trx.raw(
          `INSERT INTO webhook_deliveries (subscription_id, publication, body) VALUES (?, ?, ?)
           ON CONFLICT (subscription_id, publication) DO NOTHING`,
          [subscriptionId, d.publication, d.body],
        );
      }
      await trx('webhook_subscriptions').where({ id: subscriptionId }).update({ scanned_through: scannedThrough });
    },

    /**
     * Claims due deliveries, each the oldest pending one of its subscription (so a subscription's
     * deliveries go out in order, one at a time), by moving their next attempt a lease ahead: no
     * connection is held while the receiver answers, and a process that dies mid-attempt leaves a
     * delivery that is due again when the lease runs out. SKIP LOCKED lets several processes
     * claim at once without waiting on each other or claiming the same row.
     */
    async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
      const res = await knex.raw(
        `UPDATE webhook_deliveries d
         SET next_attempt_at = now() + ? * interval '1 millisecond'
         FROM webhook_subscriptions s
         WHERE s.id = d.subscription_id
           AND d.id IN (
             SELECT c.id FROM webhook_deliveries c
             WHERE c.status = 'pending' AND c.next_attempt_at <= now()
               AND NOT EXISTS (
                 SELECT 1 FROM webhook_deliveries e
                 WHERE e.subscription_id = c.subscription_id AND e.status = 'pending' AND e.publication < c.publication)
             ORDER BY c.next_attempt_at, c.id
             LIMIT ?
             FOR UPDATE SKIP LOCKED)
         RETURNING d.id, d.subscription_id, d.publication, d.body, d.attempts, s.url, s.secret`,
        [leaseMs, limit],
      );
      return res.rows;
    },

    /** Records an attempt and what follows from it: delivered, retried later, or abandoned. */
    async recordAttempt(deliveryId: number, o: AttemptOutcome): Promise<void> {
      await knex.transaction(async (trx) => {
        await trx('webhook_attempts').insert({
          delivery_id: deliveryId,
          attempted_at: o.attemptedAt,
          duration_ms: o.durationMs,
          status_code: o.statusCode,
          error: o.error,
        });
        if (o.delivered) {
          await trx.raw(`UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, finished_at = now() WHERE id = ?`, [deliveryId]);
        } else {
          await trx.raw(
            `UPDATE webhook_deliveries
             SET attempts = attempts + 1,
                 next_attempt_at = now() + ? * interval '1 millisecond',
                 status = CASE WHEN created_at < now() - ? * interval '1 millisecond' THEN 'abandoned' ELSE status END,
                 finished_at = CASE WHEN created_at < now() - ? * interval '1 millisecond' THEN now() ELSE NULL END
             WHERE id = ? AND status = 'pending'`,
            [o.retryInMs, o.retryForMs, o.retryForMs, deliveryId],
          );
        }
      });
    },

    /** Gives a claimed delivery back at once (this process is stopping before it was sent). */
    async release(deliveryId: number): Promise<void> {
      await knex('webhook_deliveries').where({ id: deliveryId, status: 'pending' }).update({ next_attempt_at: knex.fn.now() });
    },

    /** Milliseconds until the next pending delivery is due (≤ 0: now); null when none is pending. */
    async msUntilNextDue(): Promise<number | null> {
      const res = await knex.raw(
        `SELECT extract(epoch FROM min(next_attempt_at) - now()) * 1000 AS ms FROM webhook_deliveries WHERE status = 'pending'`,
      );
      const ms = res.rows[0]?.ms;
      return ms === null || ms === undefined ? null : Number(ms);
    },
  };
}

export type WebhooksRepo = ReturnType<typeof webhooksRepo>;
