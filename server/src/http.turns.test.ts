import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { inTurns } from './http';

/** Stand-ins for the request and response: `inTurns` only hands them on. */
const request = (i: number) => [{ url: `/${i}` } as http.IncomingMessage, {} as http.ServerResponse] as const;
const nextTurn = () => new Promise((r) => setImmediate(r));

describe('inTurns', () => {
  it('runs handlers at once until the turn has spent its budget, then the rest in later turns, in order', async () => {
    // A clock that only the handlers move: each takes 3 ms, the budget is 8 ms.
    let clock = 0;
    const ran: { url: string; turn: number }[] = [];
    let turn = 0;
    const listener = inTurns((req) => {
      ran.push({ url: req.url!, turn });
      clock += 3;
    }, { budgetMs: 8, now: () => clock });
    // Twenty requests read in one poll of the sockets.
    for (let i = 0; i < 20; i++) listener(...request(i));
    // Three ran at once (0, 3, 6 ms < 8 ms); the others wait.
    expect(ran.map((r) => r.url)).toEqual(['/0', '/1', '/2']);
    while (ran.length < 20) {
      turn++;
      await nextTurn();
    }
    // First come, first served, and never more than three a turn.
    expect(ran.map((r) => r.url)).toEqual(Array.from({ length: 20 }, (_, i) => `/${i}`));
    const perTurn = new Map<number, number>();
    for (const r of ran) perTurn.set(r.turn, (perTurn.get(r.turn) ?? 0) + 1);
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(3);
    expect(perTurn.size).toBeGreaterThanOrEqual(7);
  });

  it('runs a request at once when no one waits and a new turn has begun', async () => {
    let clock = 0;
    const ran: string[] = [];
    const listener = inTurns((req) => {
      ran.push(req.url!);
      clock += 10;
    }, { budgetMs: 8, now: () => clock });
    listener(...request(1));
    expect(ran).toEqual(['/1']);
    // Same turn, budget spent: it waits.
    listener(...request(2));
    expect(ran).toEqual(['/1']);
    await nextTurn();
    expect(ran).toEqual(['/1', '/2']);
    await nextTurn();
    // A later turn with nothing waiting: at once again.
    listener(...request(3));
    expect(ran).toEqual(['/1', '/2', '/3']);
  });

  it('lets a timer run between the turns of a burst, on the real clock', async () => {
    const events: string[] = [];
    // Each handler keeps the thread for a millisecond, as a handler of real work would.
    const listener = inTurns((req) => {
      const until = performance.now() + 1;
      while (performance.now() < until);
      events.push(req.url!);
    });
    setTimeout(() => events.push('timer'), 0);
    for (let i = 0; i < 40; i++) listener(...request(i));
    while (events.length < 41) await new Promise((r) => setTimeout(r, 5));
    // Handled all at once, the 40 would have come before the timer.
    expect(events.indexOf('timer')).toBeLessThan(20);
    expect(events.filter((e) => e !== 'timer')).toEqual(Array.from({ length: 40 }, (_, i) => `/${i}`));
  });
});
