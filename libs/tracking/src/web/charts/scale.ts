import { formatPartialDate } from '../format.js';

/** A span of time in epoch milliseconds, the horizontal extent every chart on a page shares. */
export interface TimeDomain {
  start: number;
  end: number;
}

export interface Tick {
  value: number;
  label: string;
}

/*
 * Charts place things horizontally in percent of their width and vertically in pixels, so one SVG
 * fits any screen width while its text keeps its size. These bounds keep markers off the edges.
 */
export const PLOT_LEFT_PERCENT = 2;
export const PLOT_RIGHT_PERCENT = 98;

const DAY_MS = 86_400_000;

export const round = (value: number): number => Math.round(value * 100) / 100;

export const percent = (value: number): string => `${round(value)}%`;

/** Where a time falls across the plot, in percent of its width (clamped to the plot). */
export const xPercent = (domain: TimeDomain, time: number): number => {
  const span = domain.end - domain.start;
  const fraction = span > 0 ? (time - domain.start) / span : 0.5;
  const clamped = Math.min(1, Math.max(0, fraction));
  return PLOT_LEFT_PERCENT + clamped * (PLOT_RIGHT_PERCENT - PLOT_LEFT_PERCENT);
};

/** From the earliest time to now (or the latest time, if later); a month either side of a single instant. */
export const timeDomainOf = (times: readonly number[], now: number): TimeDomain => {
  const start = Math.min(now, ...times);
  const end = Math.max(now, ...times);
  return end - start >= DAY_MS ? { start, end } : { start: start - 30 * DAY_MS, end: end + 30 * DAY_MS };
};

const MONTH_STEPS = [1, 3, 6, 12, 24, 60, 120, 240];

const monthIndexOf = (time: number): number => {
  const date = new Date(time);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
};

const timeOfMonthIndex = (index: number): number => Date.UTC(Math.floor(index / 12), index % 12, 1);

/**
 * Month or year boundaries inside [start, end], labelled `2018` (at most `maxYearTicks`) or, over a
 * short span, `Jun 2018` (at most `maxMonthTicks`, as they are wider).
 */
export const timeTicks = (start: number, end: number, maxYearTicks = 6, maxMonthTicks = 4): Tick[] => {
  for (const step of MONTH_STEPS) {
    const maxTicks = step >= 12 ? maxYearTicks : maxMonthTicks;
    const first = Math.ceil(monthIndexOf(start - 1) / step) * step;
    const indexes: number[] = [];
    for (let index = first; timeOfMonthIndex(index) <= end; index += step) {
      if (timeOfMonthIndex(index) >= start) indexes.push(index);
    }
    if (indexes.length <= maxTicks) {
      return indexes.map((index) => {
        const value = timeOfMonthIndex(index);
        const month = String((index % 12) + 1).padStart(2, '0');
        const year = String(Math.floor(index / 12));
        return { value, label: step >= 12 ? year : formatPartialDate(`${year}-${month}`) };
      });
    }
  }
  return [];
};

/** Round numbers (1, 2 or 5 times a power of ten) from 0 to at least `max`, at most `maxTicks` of them. */
export const countTicks = (max: number, maxTicks = 5): Tick[] => {
  const top = Math.max(1, max);
  for (let power = 1; ; power *= 10) {
    for (const base of [1, 2, 5]) {
      const step = base * power;
      const count = Math.ceil(top / step) + 1;
      if (count <= maxTicks) {
        return Array.from({ length: count }, (_, index) => ({
          value: index * step,
          label: (index * step).toLocaleString('en-US'),
        }));
      }
    }
  }
};
