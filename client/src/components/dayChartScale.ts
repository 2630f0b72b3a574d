import { computed, type ComputedRef } from 'vue';

/** The geometry shared by the dashboard's per-day bar charts (SVG user units). */
export const DAY_CHART = {
  width: 320,
  height: 140,
  margin: { top: 10, right: 8, bottom: 22, left: 28 },
} as const;

const plotWidth = DAY_CHART.width - DAY_CHART.margin.left - DAY_CHART.margin.right;
const plotHeight = DAY_CHART.height - DAY_CHART.margin.top - DAY_CHART.margin.bottom;

export interface DayChartScale {
  /** A round axis maximum, so the gridlines fall on whole numbers. */
  axisMax: ComputedRef<number>;
  ticks: ComputedRef<number[]>;
  barWidth: ComputedRef<number>;
  /** SVG y of a value. */
  y: (value: number) => number;
  /** SVG x of the left edge of day `index`. */
  x: (index: number) => number;
}

/** Scales for `dayCount` bars whose tallest is `max`. */
export function useDayChartScale(dayCount: () => number, max: () => number): DayChartScale {
  const axisMax = computed(() => {
    const value = Math.max(1, max());
    const step = value <= 5 ? 1 : value <= 20 ? 5 : 10 ** Math.floor(Math.log10(value));
    return Math.ceil(value / step) * step;
  });
  const ticks = computed(() => [0, axisMax.value / 2, axisMax.value]);
  const barWidth = computed(() => (dayCount() ? plotWidth / dayCount() : plotWidth));
  return {
    axisMax,
    ticks,
    barWidth,
    y: (value) => DAY_CHART.margin.top + plotHeight - (plotHeight * value) / axisMax.value,
    x: (index) => DAY_CHART.margin.left + index * barWidth.value,
  };
}
