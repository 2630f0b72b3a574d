/**
 * HTTP load with autocannon, run from the bench process on the same machine as the servers
 * (so the load generator takes CPU from them; every figure in the table is measured that way).
 */
import { createRequire } from 'node:module';
import autocannon from 'autocannon';

// autocannon appends every response body to a string (`body += chunk`), for onResponse and
// verifyBody, which the bench does not use. On a 2 MB gzip body that decoding alone held
// autocannon to about 27 MB/s on this machine, so it, not the server, set the figure; turning
// it off changes nothing else in how autocannon sends, times or counts requests.
const PipelinedRequestsQueue = createRequire(import.meta.url)('autocannon/lib/pipelinedRequestsQueue.js') as { prototype: { addBody(data: Buffer): void } };
PipelinedRequestsQueue.prototype.addBody = () => undefined;

/** What one load run measured. */
export interface LoadResult {
  /** Completed requests per second over the run. */
  requestsPerSec: number;
  total: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  errors: number;
  /** Count per HTTP status code. */
  statuses: Record<string, number>;
  /** Response bytes per second. */
  bytesPerSec: number;
  durationS: number;
}

/** Options of {@link runLoad}. */
export interface LoadOptions {
  url: string;
  /** One path for every request… */
  path?: string;
  /** …or a list walked in order by all connections together (each entry once per pass). */
  paths?: string[];
  headers?: Record<string, string>;
  /** @defaultValue 50 */
  connections?: number;
  /** Seconds; ignored when `amount` is set. */
  durationS?: number;
  /** Stop after this many requests. */
  amount?: number;
}

/** Runs one load and summarises it. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const paths = opts.paths;
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections ?? 50,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.durationS ?? 10 }),
    timeout: 30,
    headers: opts.headers,
    requests: paths
      ? [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }) }]
      : [{ method: 'GET', path: opts.path ?? '/' }],
  });
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = count;
  const total = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    requestsPerSec: total / result.duration,
    total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    statuses,
    bytesPerSec: result.throughput.average,
    durationS: result.duration,
  };
}

/** Throws when a run had errors or answers other than `expected` (a bench that measures failures measures nothing). */
export function expectStatuses(what: string, result: LoadResult, expected: number[]): void {
  const wrong = Object.entries(result.statuses).filter(([code]) => !expected.includes(Number(code)));
  if (result.errors > 0 || wrong.length > 0 || result.total === 0) {
    throw new Error(`${what}: ${result.errors} connection errors/timeouts, statuses ${JSON.stringify(result.statuses)} (expected ${expected.join('/')})`);
  }
}
