import { onMounted, readonly, ref, type Ref } from 'vue';

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

/**
 * A component's build steps: a counter that starts at 0 and goes up by one in the task after each
 * paint from the component's mount, up to `count`. The component builds each part behind
 * `step >= n`, so that no part of it is one long task on a slow phone (where a task over 50 ms
 * delays the first tap).
 */
export function useBuildSteps(count: number): Readonly<Ref<number>> {
  const step = ref(0);
  onMounted(() => {
    const next = () => {
      step.value += 1;
      if (step.value < count) afterNextPaint(next);
    };
    afterNextPaint(next);
  });
  return readonly(step);
}
