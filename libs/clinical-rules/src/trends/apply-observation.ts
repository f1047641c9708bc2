import type { ObservationV1 } from '@rpm/contracts';
import { LOINC } from '@rpm/vitals';
import { addBpReading, addToHistogram } from './aggregates';
import { addDays, localTimeOf, utcMidnightOf } from './local-day';
import { TREND_RETENTION_DAYS } from './trend-rules';
import { compactWeightId, latestDay, type DayAggregate, type FirstWeight, type TrendState } from './trend-state';

/** Weights before this local hour are not "morning" weights (CLINICAL.md 2.1, pre-breakfast). */
export const MORNING_WEIGHT_FROM_HOUR = 4;

const valueOf = (observation: ObservationV1, code: string): number | undefined =>
  observation.components.find((c) => c.code === code)?.value;

/** Whether `candidate` is earlier than `stored`; ties on time go to the smaller id, so order never matters. */
function isEarlier(candidate: FirstWeight, stored: FirstWeight | undefined): boolean {
  if (!stored) return true;
  return candidate[1] < stored[1] || (candidate[1] === stored[1] && candidate[2] < stored[2]);
}

/** The vitals trend rules read; every other reading leaves the state as it is. */
const TREND_CODES: ReadonlySet<string> = new Set([LOINC.bodyWeight, LOINC.bloodPressurePanel, LOINC.spo2]);

function updateDay(day: DayAggregate, observation: ObservationV1, date: string, hour: number): DayAggregate {
  const ms = (): number => Date.parse(observation.measuredAt);
  switch (observation.code) {
    case LOINC.bodyWeight: {
      const kg = valueOf(observation, LOINC.bodyWeight);
      if (kg === undefined || hour < MORNING_WEIGHT_FROM_HOUR) return day;
      const candidate: FirstWeight = [kg, (ms() - utcMidnightOf(date)) / 1000, compactWeightId(observation.observationId)];
      return isEarlier(candidate, day.w) ? { ...day, w: candidate } : day;
    }
    case LOINC.bloodPressurePanel: {
      const systolic = valueOf(observation, LOINC.systolic);
      const diastolic = valueOf(observation, LOINC.diastolic);
      if (systolic === undefined || diastolic === undefined) return day;
      const atSec = Math.floor((ms() - utcMidnightOf(date)) / 1000);
      return { ...day, b: addBpReading(day.b ?? [], atSec, systolic, diastolic) };
    }
    case LOINC.spo2: {
      const spo2 = valueOf(observation, LOINC.spo2);
      return spo2 === undefined ? day : { ...day, s: addToHistogram(day.s, spo2) };
    }
    default:
      return day;
  }
}

interface RetentionBounds {
  readonly keepFrom: string;
  readonly weightFrom: string;
  readonly bpFrom: string;
}

let lastBounds: { newest: string; bounds: RetentionBounds } | null = null;

/** The first day each vital is kept for, given the newest day (memoised: it rarely changes). */
function retentionBounds(newest: string): RetentionBounds {
  if (lastBounds?.newest !== newest) {
    lastBounds = {
      newest,
      bounds: {
        keepFrom: addDays(newest, -Math.max(TREND_RETENTION_DAYS.weight, TREND_RETENTION_DAYS.bp, TREND_RETENTION_DAYS.spo2)),
        weightFrom: addDays(newest, -TREND_RETENTION_DAYS.weight),
        bpFrom: addDays(newest, -TREND_RETENTION_DAYS.bp),
      },
    };
  }
  return lastBounds.bounds;
}

/** The parts of a day's aggregate still within their vital's retention, or null when none is. */
function retained(day: DayAggregate, date: string, weightFrom: string, bpFrom: string): DayAggregate | null {
  const w = day.w && date >= weightFrom ? day.w : undefined;
  const b = day.b && date >= bpFrom ? day.b : undefined;
  const s = day.s;
  if (!w && !b && !s) return null;
  // Same keys as the input when nothing was dropped: the common case keeps the object.
  if (w === day.w && b === day.b) return day;
  const out: { w?: DayAggregate['w']; b?: DayAggregate['b']; s?: DayAggregate['s'] } = {};
  if (w) out.w = w;
  if (b) out.b = b;
  if (s) out.s = s;
  return out;
}

/** Drops what no rule can read any more once `newest` is the newest day. */
function prune(days: Readonly<Record<string, DayAggregate>>, newest: string): Record<string, DayAggregate> {
  const { keepFrom, weightFrom, bpFrom } = retentionBounds(newest);
  const kept: Record<string, DayAggregate> = {};
  // Sorted keys: the serialised state does not depend on the order days arrived in.
  for (const date of Object.keys(days).sort()) {
    if (date < keepFrom) continue;
    const day = retained(days[date]!, date, weightFrom, bpFrom);
    if (day) kept[date] = day;
  }
  return kept;
}

/** Replaces one day when the window did not move: a day (or vital) older than its retention is ignored. */
function withinRetention(
  days: Readonly<Record<string, DayAggregate>>,
  date: string,
  after: DayAggregate,
  newest: string,
): Readonly<Record<string, DayAggregate>> {
  const { keepFrom, weightFrom, bpFrom } = retentionBounds(newest);
  if (date < keepFrom) return days;
  const day = retained(after, date, weightFrom, bpFrom);
  if (!day) return days;
  return { ...days, [date]: day };
}

/**
 * Folds one normalised observation into the patient's trend state; pure, returns a new state.
 *
 * The reading lands on its own local day (measuredAt in `timeZone`), whatever order readings
 * arrive in: a late scale upload replaces that day's first weight only when it was measured
 * earlier. Readings older than the retention window of the newest day are ignored; days
 * nothing reads any more are dropped, so the state stays bounded. Vitals without trend rules
 * leave the state unchanged. The caller applies each observation once (DQ-03 drops resends).
 */
export function applyObservation(state: TrendState, observation: ObservationV1, timeZone: string): TrendState {
  if (!TREND_CODES.has(observation.code)) return state;
  const { date, hour } = localTimeOf(observation.measuredAt, timeZone);
  const before = state.days[date] ?? {};
  const after = updateDay(before, observation, date, hour);
  const isBp = observation.code === LOINC.bloodPressurePanel && after !== before;
  const bp1 = isBp && (!state.bp1 || date < state.bp1) ? date : state.bp1;
  if (after === before && bp1 === state.bp1) return state;
  const current = latestDay(state);
  const newest = current && current > date ? current : date;
  // Only a new newest day moves the retention window; otherwise the one day is replaced in place.
  const days =
    newest === current ? withinRetention(state.days, date, after, newest) : prune({ ...state.days, [date]: after }, newest);
  if (days === state.days && bp1 === state.bp1) return state;
  return { v: 1, ...(bp1 ? { bp1 } : {}), days };
}
