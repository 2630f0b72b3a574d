// The entry of every worker thread: loads TypeScript through tsx (whatever runs the main thread:
// tsx, vitest's forks), then runs the tasks of the module the pool names, one at a time.
import fs from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

// A lower priority for this thread than for the event loop (Linux keeps a nice value per thread,
// and /proc/thread-self names this one): on a machine with fewer cores than busy threads, the
// kernel then gives the core to the event loop's cheap answers first and the heavy work waits,
// instead of every answer waiting a scheduler slice behind a page build or a route search.
if (workerData.nice && fs.existsSync('/proc/thread-self')) {
  const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  try {
    os.setPriority(tid, workerData.nice);
  } catch (err) {
    console.error(`[workers] could not lower the priority of worker thread ${tid}:`, err instanceof Error ? err.message : err);
  }
}

register();
const { handlers } = await import(pathToFileURL(workerData.module).href);

parentPort.on('message', async ({ id, task, payload }) => {
  try {
    const handler = handlers[task];
    if (!handler) throw new Error(`unknown task ${task}`);
    const out = await handler(payload);
    // A handler may name buffers to move rather than copy: { result, transfer }.
    if (out && typeof out === 'object' && 'transfer' in out && 'result' in out) parentPort.postMessage({ id, ok: true, result: out.result }, out.transfer);
    else parentPort.postMessage({ id, ok: true, result: out });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    parentPort.postMessage({ id, ok: false, error: { name: e.name, message: e.message, code: e.code, status: e.status, details: e.details } });
  }
});
