import { onMounted, readonly, ref, type Ref } from 'vue';
import { afterNextPaint } from './afterPaint';

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
