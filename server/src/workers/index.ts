import { fileURLToPath } from 'node:url';
import { WorkerPool, type PoolStats } from './pool';
import { Task } from './tasks';

const HEAVY_TASKS = fileURLToPath(new URL('./tasks.ts', import.meta.url));
const ROUTING_TASKS = fileURLToPath(new URL('./routing-tasks.ts', import.meta.url));

export { Task, asBuffer, type CutTileInput, type OgcPageInput, type RenderDayInput } from './tasks';
export { busy, BUSY_RETRY_AFTER_S, type PoolStats } from './pool';

/**
 * The worker threads' nice value: with it the kernel gives a contended core to the event loop
 * (and PostgreSQL) first. Under the mixed bench on two cores, the event loop's longest delays were
 * mostly waits for a core, not JavaScript: the CPU profile's sampler missed whole stretches of
 * 100–400 ms while the worker threads, PostgreSQL and the load generator had the cores.
 */
export const WORKER_NICE = 10;

/**
 * How long a task may wait for a thread before it is refused with 503 `server_busy`: a bulletin
 * night's abuse (50 pages of a thousand zones every 10 s) on two cores queued pages for over a
 * minute, past any client's patience; a refusal with Retry-After is the better answer.
 */
export const QUEUE_WAIT_MAX_MS = 20_000;

/**
 * The service's worker threads: `heavy` (WORKER_THREADS threads) builds past-day maps and OGC
 * pages and compresses them; `tiles` (TILE_THREADS threads) indexes each published map and cuts
 * and compresses its tiles; `routing` (one thread) holds the road graph and runs every route
 * search. They refuse work beyond WORK_QUEUE_MAX (heavy, tiles) or ROUTE_QUEUE_MAX (routing)
 * waiting tasks with 503 `server_busy`.
 *
 * Tiles have a pool of their own: a bulletin night asks for thousands of small cuts, which in one
 * pool with the pages and past days' maps either waited behind them or kept them waiting. On two
 * cores one tile thread and two made the same cold tiles/s in the bench, so the default is cores − 1.
 */
export function createWorkers(settings: { workerThreads: number; tileThreads: number; workQueueMax: number; routeQueueMax: number }) {
  const heavy = new WorkerPool({ module: HEAVY_TASKS, threads: settings.workerThreads, maxQueue: settings.workQueueMax, name: 'heavy', nice: WORKER_NICE, quickTasks: [Task.gzip], maxWaitMs: QUEUE_WAIT_MAX_MS });
  const tiles = new WorkerPool({ module: HEAVY_TASKS, threads: settings.tileThreads, maxQueue: settings.workQueueMax, name: 'tiles', nice: WORKER_NICE, quickTasks: [Task.gzip, Task.cutTile], maxWaitMs: QUEUE_WAIT_MAX_MS });
  const routing = new WorkerPool({ module: ROUTING_TASKS, threads: 1, maxQueue: settings.routeQueueMax, name: 'routing', nice: WORKER_NICE, maxWaitMs: QUEUE_WAIT_MAX_MS });
  return {
    heavy,
    tiles,
    routing,
    stats(): { heavy: PoolStats; tiles: PoolStats; routing: PoolStats } {
      return { heavy: heavy.stats(), tiles: tiles.stats(), routing: routing.stats() };
    },
    async close(): Promise<void> {
      await Promise.all([heavy.close(), tiles.close(), routing.close()]);
    },
  };
}

export type Workers = ReturnType<typeof createWorkers>;
