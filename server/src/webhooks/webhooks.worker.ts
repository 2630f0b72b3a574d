import type { Database } from '../db/database';
import type { WebhooksService } from './webhooks.service';

/** A running delivery loop. */
export interface WebhookWorker {
  /** Look for work now (a publication was announced). */
  kick(): void;
  /** Stops the loop: no new attempt starts, one in flight is aborted and given back. */
  stop(): Promise<void>;
}

/** Shortest wait between two passes, so a failing database is not hammered. */
const MIN_WAIT_MS = 20;

/**
 * The delivery loop of one process: a pass queues what the record added since the last one and
 * sends what is due; the next pass comes when a publication is announced, when the next retry is
 * due, or after `pollMs` at the latest (a notice may be lost; another process may have queued).
 * Its timer is unref'd: it never keeps a process alive by itself.
 */
export function startWebhookWorker(svc: WebhooksService, opts: { pollMs: number; log?: (msg: string) => void }): WebhookWorker {
  const log = opts.log ?? ((msg: string) => console.error(`[webhooks] ${msg}`));
  const abort = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let lastError = '';

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, Math.max(MIN_WAIT_MS, Math.min(ms, opts.pollMs)));
    timer.unref();
  };

  const pass = async (): Promise<number> => {
    while (!stopped && (await svc.scan()) > 0);
    let sent = 0;
    for (let n = 1; !stopped && n > 0; sent += n) n = await svc.deliverDue(abort.signal);
    if (stopped) return opts.pollMs;
    const due = await svc.msUntilNextDue();
    return sent > 0 ? 0 : due ?? opts.pollMs;
  };

  function run() {
    timer = null;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = pass()
      .then(
        (wait) => {
          lastError = '';
          schedule(again ? 0 : wait);
        },
        (err: unknown) => {
          // One line per new failure, not one per pass while the database is away.
          const msg = err instanceof Error ? err.message : String(err);
          if (!stopped && msg !== lastError) log(`delivery pass failed: ${msg}`);
          lastError = msg;
          schedule(opts.pollMs);
        },
      )
      .finally(() => {
        running = null;
        again = false;
      });
  }

  schedule(0);
  return {
    kick() {
      if (!stopped) schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      abort.abort();
      await running;
    },
  };
}

const workers = new WeakMap<Database, WebhookWorker>();

/**
 * Starts the one worker of a database connection, if none runs yet (the app may be built more than
 * once on one context, as the security tests do), and stops it before the database closes: the
 * context has no hook for that, so `db.close` is wrapped.
 */
export function ensureWebhookWorker(db: Database, start: () => WebhookWorker): WebhookWorker {
  const existing = workers.get(db);
  if (existing) return existing;
  const worker = start();
  workers.set(db, worker);
  const close = db.close.bind(db);
  db.close = async () => {
    await worker.stop();
    await close();
  };
  return worker;
}
