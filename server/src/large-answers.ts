import type http from 'node:http';

/**
 * Large answers (a map of thousands of zones, an OGC page of a thousand features) written to their
 * sockets a slice at a time, the answers waiting taking turns, a budget of bytes per turn of the
 * event loop.
 *
 * Why: handing a socket a few megabytes costs the main thread the copy into the kernel and, over a
 * local connection, the kernel's whole TCP work for them. When a build that many requests share
 * finishes (a hundred residents asking for the same past day's map), writing every answer at once
 * was one task of 100–200 ms in the mixed-load benchmark's CPU profile, during which no lookup was
 * answered. Sliced, each turn writes at most `TURN_BUDGET` bytes and other requests are served in
 * between; the bytes are views of the same buffer, never copies. An answer whose socket cannot take
 * more (a slow phone) waits for its `drain` outside the queue, so it holds up no one.
 */
const SLICE = 256 * 1024;
const TURN_BUDGET = 1024 * 1024;

interface Writing {
  res: http.ServerResponse;
  body: Buffer;
  offset: number;
}
const waiting: Writing[] = [];
let scheduled = false;

/** Answers `status` with `headers` and `body` (its Content-Length set here), sliced when it is large. */
export function endLarge(res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders, body: Buffer): void {
  res.writeHead(status, { ...headers, 'Content-Length': String(body.length) });
  if (body.length <= SLICE) {
    res.end(body);
    return;
  }
  waiting.push({ res, body, offset: 0 });
  schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(writeTurn);
}

/** One turn: a slice for each answer in order, until the budget is spent; the rest next turn. */
function writeTurn(): void {
  scheduled = false;
  let budget = TURN_BUDGET;
  while (budget > 0 && waiting.length > 0) {
    const w = waiting.shift()!;
    // The client went away: nothing more to write.
    if (w.res.destroyed) continue;
    const end = Math.min(w.offset + SLICE, w.body.length);
    const slice = w.body.subarray(w.offset, end);
    w.offset = end;
    budget -= slice.length;
    if (end === w.body.length) w.res.end(slice);
    else if (w.res.write(slice)) waiting.push(w);
    else w.res.once('drain', () => resume(w));
  }
  if (waiting.length > 0) schedule();
}

function resume(w: Writing): void {
  waiting.push(w);
  schedule();
}

