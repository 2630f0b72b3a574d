import { z } from 'zod';

/**
 * Settings of the webhook deliveries. Read once, when the webhooks router is built, from the same
 * environment config.ts reads (config.ts belongs to the whole service; these keys are this
 * feature's own, documented at the end of .env.example).
 */
const schema = z.object({
  WEBHOOK_ALLOW_HOSTS: z.string().default(''),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().positive().default(10_000),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().positive().default(3_600_000),
  WEBHOOK_RETRY_FOR_HOURS: z.coerce.number().positive().default(72),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  WEBHOOK_POLL_MS: z.coerce.number().int().positive().default(5_000),
  WEBHOOK_LEASE_MS: z.coerce.number().int().positive().default(300_000),
  WEBHOOK_DELIVERIES: z.enum(['true', 'false']).default('true'),
});

/** The webhook settings, validated. */
export interface WebhooksConfig {
  /**
   * Host names (as written in a URL: `hooks.internal`, `127.0.0.1`) that may be sent to over plain
   * http and whatever address they resolve to. Every other target must be https and resolve to a
   * public address. @defaultValue none
   */
  allowHosts: string[];
  /** First retry delay; each further one doubles. @defaultValue 10 000 ms */
  retryBaseMs: number;
  /** Longest delay between two attempts. @defaultValue 1 h */
  retryMaxMs: number;
  /** A delivery is retried this long after it was queued, then abandoned. @defaultValue 72 h */
  retryForMs: number;
  /** How long a receiver has to answer. @defaultValue 10 000 ms */
  timeoutMs: number;
  /** How often the worker looks for work when no publication is announced. @defaultValue 5 000 ms */
  pollMs: number;
  /**
   * How long a claimed delivery is this process's before another (or this one after a crash) may
   * try it again, on top of the request timeout. @defaultValue 5 minutes
   */
  leaseMs: number;
  /** Whether this process delivers (the outbox is shared: any process may). @defaultValue true */
  deliver: boolean;
}

/** Reads the WEBHOOK_* settings; throws a readable error listing every bad key. */
export function webhooksConfig(env: NodeJS.ProcessEnv = process.env): WebhooksConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid webhook configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    allowHosts: e.WEBHOOK_ALLOW_HOSTS.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
    retryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
    retryMaxMs: e.WEBHOOK_RETRY_MAX_MS,
    retryForMs: e.WEBHOOK_RETRY_FOR_HOURS * 3_600_000,
    timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    pollMs: e.WEBHOOK_POLL_MS,
    leaseMs: e.WEBHOOK_LEASE_MS,
    deliver: e.WEBHOOK_DELIVERIES === 'true',
  };
}
