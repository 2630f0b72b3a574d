/**
 * A Node process with nothing to do, beside the service during the mixed load: it measures its
 * own event loop's longest delay each second (perf_hooks.monitorEventLoopDelay, as the service
 * does) and appends it to BENCH_METRICS_FILE. With no work of its own, every delay it sees is a
 * wait for a core: the machine's floor under that load, against which the service's figure is read.
 * Prints `{"url": …}` once measuring (it serves nothing; the line is what startNodeProcess waits for).
 */
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_METRICS_FILE;
if (!file) throw new Error('BENCH_METRICS_FILE is required');
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
setInterval(() => {
  fs.appendFileSync(file, `${JSON.stringify({ t: Date.now(), loopDelayMaxMs: delay.max / 1e6 })}\n`);
  delay.reset();
}, 1000);
process.stdout.write(`${JSON.stringify({ url: 'idle://', pid: process.pid })}\n`);
process.on('SIGTERM', () => process.exit(0));
