/**
 * Keeps an open public page current. A resident opens the map after an evening bulletin and looks
 * at the same tab the next morning: by then the day has turned in Asia/Shanghai (zones count
 * another case-free day, some lift by rule) and new bulletins may have come out. The page follows
 * the day as Shanghai counts it, whatever the phone's own time zone, and asks for today's map
 * again when it comes back into view, when the network returns, and every few minutes while it
 * is in view (an unchanged map costs a 304).
 */
import { onBeforeUnmount, onMounted, readonly, ref, type Ref } from 'vue';
import { addDays, todayInShanghai } from '../../../contract/dates';

/** How often a page in view asks for today's map again. */
export const REFRESH_EVERY_MS = 5 * 60_000;
/** A page coming back into view asks again only if its last ask is older than this. */
const STALE_AFTER_MS = 30_000;

/** Milliseconds from `now` to the next midnight in Asia/Shanghai (UTC+8 all year since 1991). */
export function msToShanghaiMidnight(now: number = Date.now()): number {
  return Date.parse(`${addDays(todayInShanghai(new Date(now)), 1)}T00:00:00+08:00`) - now;
}

/** Calls `listener` whenever the page comes back into view; returns what removes it. */
function onVisible(listener: () => void): () => void {
  const handler = () => {
    if (document.visibilityState === 'visible') listener();
  };
  document.addEventListener('visibilitychange', handler);
  return () => document.removeEventListener('visibilitychange', handler);
}

/**
 * Today in Asia/Shanghai ('YYYY-MM-DD'), turning at its midnight. Timers sleep in a hidden tab,
 * so the day is also read again whenever the page comes back into view.
 */
export function useShanghaiToday(): Readonly<Ref<string>> {
  const today = ref(todayInShanghai());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = () => {
    clearTimeout(timer);
    today.value = todayInShanghai();
    // A second past midnight, so that a clock a little early does not read the old day again.
    timer = setTimeout(check, msToShanghaiMidnight() + 1000);
  };
  let stopVisible = () => {};
  onMounted(() => {
    check();
    stopVisible = onVisible(check);
  });
  onBeforeUnmount(() => {
    clearTimeout(timer);
    stopVisible();
  });
  return readonly(today);
}

/**
 * Calls `refresh` when the page comes back into view (if it last did more than 30 s before), when
 * the browser is back online, and every `everyMs` while the page is in view.
 */
export function useRefreshWhileOpen(refresh: () => void, everyMs: number = REFRESH_EVERY_MS): void {
  let last = Date.now();
  const run = () => {
    last = Date.now();
    refresh();
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  let stopVisible = () => {};
  const online = () => run();
  onMounted(() => {
    timer = setInterval(() => {
      if (document.visibilityState === 'visible') run();
    }, everyMs);
    stopVisible = onVisible(() => {
      if (Date.now() - last > STALE_AFTER_MS) run();
    });
    window.addEventListener('online', online);
  });
  onBeforeUnmount(() => {
    clearInterval(timer);
    stopVisible();
    window.removeEventListener('online', online);
  });
}
