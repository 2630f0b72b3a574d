import type { Knex } from 'knex';

/**
 * Webhook subscriptions to the public record: an admin's URL, secret and area; an outbox of
 * deliveries (one per subscription and publication that changed a zone touching the area), and
 * every attempt to deliver one. The deliveries are rows, so they outlive a restart of the service.
 */
export async function up(knex: Knex): Promise<void> {
  // PGlite runs one statement per query, so each statement is its own call.
  for (const statement of [
    `CREATE TABLE webhook_subscriptions (
          id uuid PRIMARY KEY,
          url text NOT NULL,
          -- Needed as is to sign every delivery (HMAC); never returned by the API after creation.
          secret text NOT NULL,
          -- The area as the admin gave it ({polygon} | {point, radiusMeters} | {countyCode}).
          area_input jsonb NOT NULL,
          -- The same area as one geometry: the polygon, the buffered point, or the county's boundary.
          area geometry(Geometry, 4326) NOT NULL,
          -- Every publication up to this number has been looked at (a delivery queued or none due).
          -- Set to the latest publication at creation: a subscription hears of what follows it.
          scanned_through integer NOT NULL,
          created_by text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          -- Deleted subscriptions are kept with their deliveries and attempts, which name them.
          deleted_at timestamptz
        )`,
    `CREATE INDEX webhook_subscriptions_area_gist ON webhook_subscriptions USING gist (area)`,
    `CREATE TABLE webhook_deliveries (
          id bigserial PRIMARY KEY,
          subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id),
          publication integer NOT NULL REFERENCES publications (number),
          -- The exact bytes sent on every attempt (only the signature's timestamp changes).
          body text NOT NULL,
          status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'abandoned', 'cancelled')),
          attempts integer NOT NULL DEFAULT 0,
          -- When the next attempt is due; while one is in flight, when its lease runs out.
          next_attempt_at timestamptz NOT NULL DEFAULT now(),
          created_at timestamptz NOT NULL DEFAULT now(),
          finished_at timestamptz,
          UNIQUE (subscription_id, publication)
        )`,
    `-- The worker's query: the pending head of each subscription's queue that is due.
        CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (subscription_id, publication) WHERE status = 'pending'`,
    `CREATE TABLE webhook_attempts (
          id bigserial PRIMARY KEY,
          delivery_id bigint NOT NULL REFERENCES webhook_deliveries (id),
          attempted_at timestamptz NOT NULL,
          duration_ms integer NOT NULL,
          -- The receiver's HTTP status; null when no answer came (refused, timed out, address not allowed).
          status_code integer,
          error text
        )`,
    `CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id)`,
  ]) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS webhook_attempts, webhook_deliveries, webhook_subscriptions');
}
