import type { BpSession, Spo2Histogram } from './trend-state';

/** Readings at most this far apart form one BP session (averaged before the day/window mean). */
export const BP_SESSION_GAP_SEC = 600;

/**
 * Adds one BP reading to a day's sessions. Sessions are single-linkage runs (gap <= 10 min),
 * so a reading that bridges two sessions merges them: the result does not depend on the
 * order readings arrive in.
 */
export function addBpReading(sessions: readonly BpSession[], atSec: number, systolic: number, diastolic: number): BpSession[] {
  let [start, end, n, sumS, sumD] = [atSec, atSec, 1, systolic, diastolic];
  const rest: BpSession[] = [];
  for (const s of sessions) {
    const [from, span] = s;
    if (atSec >= from - BP_SESSION_GAP_SEC && atSec <= from + span + BP_SESSION_GAP_SEC) {
      [start, end] = [Math.min(start, from), Math.max(end, from + span)];
      [n, sumS, sumD] = [n + s[2], sumS + s[3], sumD + s[4]];
    } else {
      rest.push(s);
    }
  }
  const merged: BpSession = [start, end - start, n, sumS, sumD];
  return [...rest, merged].sort((a, b) => a[0] - b[0]);
}

export interface BpWindowMean {
  readonly systolic: number;
  readonly diastolic: number;
  readonly readings: number;
  readonly sessions: number;
  readonly days: number;
}

/** Mean of session means (each session counts once), raw reading and day counts. */
export function bpWindowMean(days: ReadonlyArray<readonly BpSession[]>): BpWindowMean {
  let sys = 0;
  let dia = 0;
  let readings = 0;
  let sessions = 0;
  let withData = 0;
  for (const day of days) {
    if (day.length > 0) withData++;
    for (const [, , n, sumS, sumD] of day) {
      sys += sumS / n;
      dia += sumD / n;
      readings += n;
      sessions++;
    }
  }
  return { systolic: sessions ? sys / sessions : NaN, diastolic: sessions ? dia / sessions : NaN, readings, sessions, days: withData };
}

export function addToHistogram(histogram: Spo2Histogram | undefined, value: number): Spo2Histogram {
  const key = String(value);
  return { ...histogram, [key]: (histogram?.[key] ?? 0) + 1 };
}

export function median(sortedValues: readonly number[]): number {
  const n = sortedValues.length;
  if (n === 0) return NaN;
  const mid = Math.floor(n / 2);
  const at = (i: number): number => sortedValues[i] ?? NaN;
  return n % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

/**
 * Past days' histograms are immutable and shared by every later state (a new reading makes a
 * new object for its own day only), so their medians are computed once: SP-05 reads 14 of them
 * per SpO2 reading.
 */
const MEDIANS = new WeakMap<Spo2Histogram, number>();

/** Exact median of a histogram without expanding it (a continuous oximeter sends thousands a day). */
export function histogramMedian(histogram: Spo2Histogram): number {
  let cached = MEDIANS.get(histogram);
  if (cached === undefined) {
    cached = computeHistogramMedian(histogram);
    MEDIANS.set(histogram, cached);
  }
  return cached;
}

function computeHistogramMedian(histogram: Spo2Histogram): number {
  const bins = Object.entries(histogram)
    .map(([k, count]) => [Number(k), count] as const)
    .sort((a, b) => a[0] - b[0]);
  const n = bins.reduce((sum, [, count]) => sum + count, 0);
  if (n === 0) return NaN;
  const nth = (index: number): number => {
    let seen = 0;
    for (const [value, count] of bins) {
      seen += count;
      if (index < seen) return value;
    }
    return NaN;
  };
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? nth(mid) : (nth(mid - 1) + nth(mid)) / 2;
}
