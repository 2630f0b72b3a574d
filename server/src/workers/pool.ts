import { Worker, type TransferListItem } from 'node:worker_threads';
import { AppError } from '../errors';

/** How long a client refused with `server_busy` is asked to wait (Retry-After, seconds). */
export const BUSY_RETRY_AFTER_S = 2;

/** Counters of one pool, for tests, the metrics of the bench and the health of the service. */
export interface PoolStats {
  threads: number;
  busy: number;
  queued: number;
  maxQueue: number;
  /** Tasks finished, by task name (failures included). */
  completed: Record<string, number>;
  /** Tasks refused because the queue was full. */
  refused: number;
}

/** A message to a worker: one task. */
export interface TaskMessage {
  id: number;
  task: string;
  payload: unknown;
}

/** A worker's answer: the task's result, or its error as plain data. */
export type TaskReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: { name: string; message: string; code?: string; status?: number; details?: Record<string, unknown> } };

interface Job {
  task: string;
  /** When it was queued (performance.now()), for `maxWaitMs`. */
  queuedAt: number;
  urgent: boolean;
  payload: unknown;
  transfer: TransferListItem[];
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker;
  job: (Job & { id: number }) | null;
}

/** What a pool runs: a module of handlers (see worker-entry.mjs). */
export interface PoolOptions {
  /** Absolute path of the TypeScript module whose `handlers` run the tasks. */
  module: string;
  threads: number;
  /** Tasks that may wait; beyond, `run` refuses with 503 `server_busy`. */
  maxQueue: number;
  /** Names the threads (in stack traces and the thread list). */
  name: string;
  /** The threads' nice value on Linux (higher: less CPU when the cores are contended). @defaultValue 0 */
  nice?: number;
  /**
   * Tasks that are short and bounded (a tile's gzip): they wait only behind each other, not behind
   * a queue of long ones (a page of a thousand zones, a past day's map). @defaultValue none
   */
  quickTasks?: readonly string[];
  /**
   * A task that has waited this long when a thread comes free is refused (503 `server_busy`)
   * instead of run: its client has likely given up, and a queue of long tasks on a loaded machine
   * would otherwise answer minutes late rather than at once. Urgent tasks are never refused.
   * @defaultValue no limit
   */
  maxWaitMs?: number;
}

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

/**
 * How many quick tasks in a row may go ahead of a waiting long one. In the mixed bench, tiles cut
 * on the worker (hundreds a minute, up to tens of ms each at low zoom) otherwise kept every OGC
 * page and past day's map waiting until their clients gave up.
 */
const QUICK_PASSES_MAX = 16;

/**
 * A fixed set of worker threads with a bounded queue (short tasks ahead of long ones, long ones
 * taking turns by task name, each name first come first served). The event loop hands them the heavy
 * work (building past-day maps, cutting and compressing tiles and OGC pages, route searches) and
 * stays free for cheap answers; when the queue is full, a request is refused at once (503
 * `server_busy`, Retry-After) rather than queued without limit, so memory and latency stay bounded.
 *
 * Written here rather than taken from piscina or tinypool: what is needed is a queue bound that
 * refuses synchronously with the API's own error, counters per task name, tasks that must never
 * be refused (a routing worker's state updates), and a worker entry that loads TypeScript through
 * tsx whatever runs the main thread (tsx, vitest's forks); that is about as much code as the glue
 * around either library would be.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  /**
   * Waiting long tasks, one queue per task name, served in turn: fifty pages of a thousand zones
   * asked at once must not keep a past day's map waiting behind all of them (in the mixed bench
   * they did, until every map was refused for waiting too long).
   */
  private readonly queues = new Map<string, Job[]>();
  /** Waiting quick tasks (and urgent ones, at its head): served before `queue`. */
  private readonly quickQueue: Job[] = [];
  private readonly completed: Record<string, number> = {};
  private refused = 0;
  /** Quick tasks started in a row while a long one waited. */
  private quickPasses = 0;
  private nextId = 1;
  private closed = false;

  /** Threads start on first use: a process that never needs one (a CLI, most tests) starts none. */
  constructor(private readonly options: PoolOptions) {}

  private get maxThreads(): number {
    return Math.max(1, this.options.threads);
  }

  private spawn(): Slot {
    const worker = new Worker(ENTRY, { workerData: { module: this.options.module, nice: this.options.nice ?? 0 }, name: this.options.name });
    // An idle thread must not keep a process alive that has nothing else to do (a CLI, a test's
    // end); a thread with a task does, so a script awaiting the task gets its answer.
    worker.unref();
    const slot: Slot = { worker, job: null };
    worker.on('message', (reply: TaskReply) => {
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      slot.job = null;
      worker.unref();
      this.completed[job.task] = (this.completed[job.task] ?? 0) + 1;
      if (reply.ok) job.resolve(reply.result);
      else job.reject(reviveError(reply.error));
      this.pump();
    });
    const lost = (err: unknown) => {
      const i = this.slots.indexOf(slot);
      if (i < 0) return;
      const job = slot.job;
      slot.job = null;
      if (job) {
        this.completed[job.task] = (this.completed[job.task] ?? 0) + 1;
        job.reject(err instanceof Error ? err : new Error(`worker thread ${this.options.name} stopped`));
      }
      // A thread that died is replaced, so one bad task cannot shrink the pool for good.
      if (!this.closed) {
        this.slots[i] = this.spawn();
        this.pump();
      } else this.slots.splice(i, 1);
    };
    worker.on('error', lost);
    worker.on('exit', () => lost(null));
    return slot;
  }

  /**
   * Starts every thread now rather than on first use: a server does, so that the first request
   * that needs one does not also wait for a thread to load its modules (a second or more on a
   * busy machine).
   */
  start(): void {
    while (!this.closed && this.slots.length < this.maxThreads) this.slots.push(this.spawn());
  }

  /**
   * Runs `task` on a free thread, or queues it. Rejects at once with 503 `server_busy` when
   * `maxQueue` tasks are waiting already, unless `urgent` (state a later task depends on).
   */
  run<T>(task: string, payload: unknown, options: { transfer?: TransferListItem[]; urgent?: boolean; lane?: string } = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`worker pool ${this.options.name} is closed`));
    if (!options.urgent && this.full) {
      this.refused++;
      return Promise.reject(busy());
    }
    return new Promise<T>((resolve, reject) => {
      const job: Job = { task, payload, queuedAt: performance.now(), urgent: options.urgent ?? false, transfer: options.transfer ?? [], resolve: resolve as (v: unknown) => void, reject };
      // A task that finds a thread free and nobody ahead of it has not waited, and runs whatever
      // the clock says: a garbage-collection pause between queueing and handing it over (tens of
      // ms on a loaded machine) must not read as waiting and refuse it.
      const free = this.waiting === 0 ? this.slots.find((s) => !s.job) : undefined;
      if (free) {
        this.dispatch(free, job);
        return;
      }
      if (options.urgent) this.quickQueue.unshift(job);
      else if (this.options.quickTasks?.includes(task)) this.quickQueue.push(job);
      else {
        // Long tasks take turns by lane (their task's name unless the caller names another).
        const lane = options.lane ?? task;
        const queue = this.queues.get(lane);
        if (queue) queue.push(job);
        else this.queues.set(lane, [job]);
      }
      this.pump();
    });
  }

  private pump(): void {
    while (this.waiting > this.slots.filter((s) => !s.job).length && this.slots.length < this.maxThreads) this.slots.push(this.spawn());
    for (const slot of this.slots) {
      if (slot.job) continue;
      const job = this.next();
      if (!job) return;
      this.dispatch(slot, job);
    }
  }

  /** Hands `job` to the free thread of `slot`; the task is rejected if it cannot be sent to it. */
  private dispatch(slot: Slot, job: Job): void {
    const id = this.nextId++;
    slot.job = { ...job, id };
    slot.worker.ref();
    try {
      slot.worker.postMessage({ id, task: job.task, payload: job.payload } satisfies TaskMessage, job.transfer);
    } catch (err) {
      slot.job = null;
      job.reject(err);
    }
  }

  /** The next task to run; those that waited beyond `maxWaitMs` are refused on the way. */
  private next(): Job | undefined {
    const { maxWaitMs } = this.options;
    this.refuseExpired();
    for (;;) {
      // Quick tasks first, unless they have passed a waiting long one QUICK_PASSES_MAX times in a
      // row: a steady stream of quick tasks (tiles cut by the hundred) must not keep every long
      // task waiting for good.
      const longsWait = this.waiting > this.quickQueue.length;
      const turnOfLong = longsWait && (this.quickPasses >= QUICK_PASSES_MAX || this.quickQueue.length === 0);
      const job = turnOfLong ? this.nextLong() : this.quickQueue.shift();
      if (!turnOfLong && job && longsWait) this.quickPasses++;
      else this.quickPasses = 0;
      if (!job || job.urgent || maxWaitMs === undefined || performance.now() - job.queuedAt <= maxWaitMs) return job;
      this.refused++;
      job.reject(busy());
    }
  }

  /**
   * Refuses every waiting task that has waited beyond `maxWaitMs`, wherever it is in the queues:
   * a long task far back in a long queue would otherwise be refused only when its turn came,
   * after its client had given up (connection errors in the mixed bench instead of 503s).
   */
  private refuseExpired(): void {
    const { maxWaitMs } = this.options;
    if (maxWaitMs === undefined) return;
    const now = performance.now();
    const keep = (job: Job) => {
      if (job.urgent || now - job.queuedAt <= maxWaitMs) return true;
      this.refused++;
      job.reject(busy());
      return false;
    };
    const quick = this.quickQueue.filter(keep);
    this.quickQueue.splice(0, this.quickQueue.length, ...quick);
    for (const [task, queue] of this.queues) {
      const kept = queue.filter(keep);
      if (kept.length) this.queues.set(task, kept);
      else this.queues.delete(task);
    }
  }

  /** The head of the next task name's queue; that name then goes to the back of the turn. */
  private nextLong(): Job | undefined {
    for (const [task, queue] of this.queues) {
      this.queues.delete(task);
      const job = queue.shift();
      if (queue.length) this.queues.set(task, queue);
      if (job) return job;
    }
    return undefined;
  }

  private get waiting(): number {
    let n = this.quickQueue.length;
    for (const queue of this.queues.values()) n += queue.length;
    return n;
  }

  /** Whether a task submitted now would be refused. */
  get full(): boolean {
    return this.waiting >= this.options.maxQueue && this.slots.length >= this.maxThreads && !this.slots.some((s) => !s.job);
  }

  stats(): PoolStats {
    return {
      threads: this.maxThreads,
      busy: this.slots.filter((s) => s.job).length,
      queued: this.waiting,
      maxQueue: this.options.maxQueue,
      completed: { ...this.completed },
      refused: this.refused,
    };
  }

  /** Stops every thread; queued and running tasks are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const waiting = [...this.quickQueue.splice(0), ...[...this.queues.values()].flat()];
    this.queues.clear();
    for (const job of waiting) job.reject(new Error(`worker pool ${this.options.name} is closed`));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/** The refusal of a full queue: 503 with Retry-After (the error handler sets it for every 503). */
export function busy(): AppError {
  return new AppError('server_busy', 503, 'The service is busy; try again in a few seconds.', { retryAfterSeconds: BUSY_RETRY_AFTER_S });
}

/** An error from a worker, with its code and details, as an AppError when it was one. */
function reviveError(e: Extract<TaskReply, { ok: false }>['error']): Error {
  if (e.name === 'AppError' && e.code && e.status) return new AppError(e.code as never, e.status, e.message, e.details);
  const err = new Error(e.message);
  err.name = e.name;
  return Object.assign(err, { code: e.code, status: e.status, details: e.details });
}
