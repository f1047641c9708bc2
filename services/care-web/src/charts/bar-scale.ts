import { niceTicks } from '../patient/chart-bands';

/**
 * Scales of the horizontal bar charts (before/after per rule, the burden report): bars start at
 * zero and end at a round maximum, so two charts of similar data read alike.
 */

/** The round number (1, 2 or 5 times a power of ten) at or above `max`; 1 for nothing to show. */
export function niceMax(max: number): number {
  if (!(max > 0) || !Number.isFinite(max)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 5, 10].find((m) => m * power >= max * (1 - 1e-9)) ?? 10;
  return Number((step * power).toPrecision(12));
}

/** Pixels for a value in [0, max] across `width`; values beyond are clamped (a share above 1 is a bug, not a wider bar). */
export function barLength(value: number, max: number, width: number): number {
  if (!(max > 0) || !(value > 0)) return 0;
  return Math.min(value / max, 1) * width;
}

/** Axis ticks from zero to the round maximum. */
export function barTicks(max: number, count = 4): number[] {
  return niceTicks(0, niceMax(max), count);
}

/** 0.425 -> "43 %"; null (nothing to divide by) -> "–". */
export function formatShare(share: number | null): string {
  return share === null ? '–' : `${Math.round(share * 100)} %`;
}

/**
 * Rates such as alerts per patient-day: whole numbers from 100, two decimals from 0.1, three
 * significant digits below (0.0333). Each is within half a percent of the value (or 0.005).
 */
export function formatRate(rate: number): string {
  if (rate === 0) return '0';
  const size = Math.abs(rate);
  if (size >= 100) return String(Math.round(rate));
  return size >= 0.1 ? rate.toFixed(2) : rate.toPrecision(3);
}

/** Axis labels: the tick as it is (ticks are already round), without float noise. */
export function formatTick(tick: number): string {
  return String(Number(tick.toPrecision(6)));
}
