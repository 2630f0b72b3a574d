/**
 * Moving the service's clock in a test: the test servers run in the test's own process, so faking
 * `Date` (only `Date`: timers stay real) moves every "today" the service computes, and the
 * embedded PGlite's clock with it. Days are Asia/Shanghai days.
 */
import { vi } from 'vitest';

/** Starts faking the date; call in beforeAll, and `realClock` in afterAll. */
export function fakeClock(): void {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
}

/** Moves the clock to `time` ('HH:MM', default 10:00) on `day` in Asia/Shanghai. */
export function travelTo(day: string, time = '10:00'): void {
  vi.setSystemTime(new Date(`${day}T${time}:00+08:00`));
}

export function realClock(): void {
  vi.useRealTimers();
}
