/**
 * Runs `task` just after the browser's next paint: a requestAnimationFrame callback runs right
 * before a frame is painted, a timeout set there runs after it. What the page shows first (the
 * header, then today's zones) is painted before less urgent work starts; on a slow phone that is
 * the difference between seeing the answer and waiting for everything. Where there is no frame to
 * wait for (a hidden tab), the task runs at once.
 */
export function afterNextPaint(task: () => void): void {
  if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') {
    requestAnimationFrame(() => setTimeout(task, 0));
  } else {
    task();
  }
}
