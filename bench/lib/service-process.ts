/**
 * One service process for the bench: the real server (startServer) with the settings it is given
 * in its environment. Prints `{"url": …}` once listening; closes cleanly on SIGTERM.
 *
 * With BENCH_METRICS_FILE set, it appends one JSON line a second to that file: the event loop's
 * longest delay in that second (perf_hooks.monitorEventLoopDelay, measured inside the server's
 * own thread), the main thread's longest garbage-collection pause in it, the process's resident
 * memory, and the worker pools' counters.
 *
 * With BENCH_CPU_PROFILE set to a file, SIGUSR2 starts a CPU profile of the main thread
 * (node:inspector, as `node --cpu-prof` would record it, but of the load only, not the start) and
 * SIGTERM writes it there before closing.
 */
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { loadConfig } from '../../server/src/config';
import { startServer } from '../../server/src/server';

const server = await startServer(loadConfig(process.env), (line) => process.stderr.write(`[service] ${line}\n`));
// Ready once the tile threads have indexed today's map (started when the map is loaded): the
// cases measure the service at work, not its start, as a deployment's readiness check would.
const hasZones = Boolean((await server.ctx.services.public.zones()).index);
for (const started = Date.now(); hasZones && Date.now() - started < 60_000; ) {
  const tiles = server.ctx.workers.stats().tiles;
  if ((tiles.completed.indexTiles ?? 0) >= tiles.threads && tiles.busy === 0) break;
  await new Promise((r) => setTimeout(r, 50));
}
const metricsFile = process.env.BENCH_METRICS_FILE;
if (metricsFile) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  // Garbage collection stops the event loop too: its longest pause is reported beside the delay,
  // so a delay can be told apart from the collector's (worker threads collect on their own).
  let gcMaxMs = 0;
  let gcMaxKind = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration <= gcMaxMs) continue;
      gcMaxMs = entry.duration;
      gcMaxKind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
    }
  }).observe({ entryTypes: ['gc'] });
  // The main thread's time on a core and time waiting in the run queue for one (Linux's
  // schedstat, in ns): a second with a long delay and a long wait was the machine's, one with a
  // long delay and no wait the service's own work.
  const schedstat = (): number[] | null => {
    try {
      return fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    } catch {
      return null;
    }
  };
  let lastSched = schedstat();
  let lastElu = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const sched = schedstat();
    const elu = performance.eventLoopUtilization();
    const line = {
      t: Date.now(),
      mainThreadCpuMs: sched && lastSched ? (sched[0] - lastSched[0]) / 1e6 : null,
      mainThreadRunQueueWaitMs: sched && lastSched ? (sched[1] - lastSched[1]) / 1e6 : null,
      loopUtilization: performance.eventLoopUtilization(elu, lastElu).utilization,
      loopDelayMaxMs: delay.max / 1e6,
      loopDelayP99Ms: delay.percentile(99) / 1e6,
      gcMaxMs,
      // perf_hooks.constants: 1 minor (scavenge), 2 major (mark-compact), 4 incremental, 8 weak callbacks.
      gcMaxKind,
      heapUsedBytes: process.memoryUsage().heapUsed,
      rssBytes: process.memoryUsage().rss,
      pools: server.ctx.workers.stats(),
    };
    delay.reset();
    lastSched = sched;
    lastElu = elu;
    gcMaxMs = 0;
    gcMaxKind = 0;
    fs.appendFileSync(metricsFile, `${JSON.stringify(line)}\n`);
  }, 1000);
  timer.unref();
}
const profileFile = process.env.BENCH_CPU_PROFILE;
let profiling: inspector.Session | null = null;
if (profileFile) {
  process.on('SIGUSR2', () => {
    const session = new inspector.Session();
    session.connect();
    profiling = session;
    void session.post('Profiler.enable').then(() => session.post('Profiler.start'));
  });
}
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
process.on('SIGTERM', async () => {
  if (profiling && profileFile) {
    const { profile } = await profiling.post('Profiler.stop');
    fs.writeFileSync(profileFile, JSON.stringify(profile));
  }
  server.close().finally(() => process.exit(0));
});
