import { z } from 'zod';

/**
 * Compact per-patient trend state, plain JSON (JSON.stringify / parseTrendState), keyed by
 * local calendar day. Short field names keep 15 days of history under 2 KiB.
 *
 * - `w` first weight at/after 04:00 local: [kg, measuredAt as seconds (ms as decimals) from the
 *   day key's UTC midnight, observationId]; the id
 *   and time are kept because the alert evidence shows both weights compared. The id drops
 *   its "/body_weight" suffix (see compactWeightId).
 * - `b` BP sessions: [startSec, spanSec, readings, sumSystolic, sumDiastolic], start in seconds
 *   from the day key's UTC midnight (zone-free, DST-safe). A session is a run of readings no
 *   more than 10 min apart; merging is order-independent.
 * - `s` SpO2 histogram: value -> count. Oximeters report whole percent, so a day holds at most
 *   101 keys however many readings arrive (a continuous oximeter included), and the median is
 *   exact; a bounded list would have to drop readings and get order-dependent.
 */

export type FirstWeight = readonly [kg: number, atSec: number, observationId: string];
export type BpSession = readonly [startSec: number, spanSec: number, readings: number, sumSystolic: number, sumDiastolic: number];
export type Spo2Histogram = Readonly<Record<string, number>>;

export interface DayAggregate {
  readonly w?: FirstWeight;
  readonly b?: readonly BpSession[];
  readonly s?: Spo2Histogram;
}

export interface TrendState {
  readonly v: 1;
  /** First local day with a BP reading: the "enrolment day 1" BP-05/06 discard. */
  readonly bp1?: string;
  readonly days: Readonly<Record<string, DayAggregate>>;
}

export const EMPTY_TREND_STATE: TrendState = Object.freeze({ v: 1, days: Object.freeze({}) });

const finite = z.number().refine(Number.isFinite);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const TrendStateSchema = z.strictObject({
  v: z.literal(1),
  bp1: date.optional(),
  days: z.record(
    date,
    z.strictObject({
      w: z.tuple([finite, finite, z.string()]).optional(),
      b: z.array(z.tuple([finite, finite, z.number().int().positive(), finite, finite])).optional(),
      s: z.record(z.string().regex(/^\d+(?:\.\d+)?$/), z.number().int().positive()).optional(),
    }),
  ),
});

/** Reads a persisted state (a JSON string or the parsed object); throws on a malformed one. */
export function parseTrendState(input: unknown): TrendState {
  const value = typeof input === 'string' ? (JSON.parse(input) as unknown) : input;
  return TrendStateSchema.parse(value) as TrendState;
}

const WEIGHT_ID_SUFFIX = '/body_weight';

/** Ingest ids end in "/body_weight"; other ids are kept verbatim behind "=". */
export function compactWeightId(observationId: string): string {
  return observationId.endsWith(WEIGHT_ID_SUFFIX) ? observationId.slice(0, -WEIGHT_ID_SUFFIX.length) : `=${observationId}`;
}

export function weightObservationId(stored: string): string {
  return stored.startsWith('=') ? stored.slice(1) : `${stored}${WEIGHT_ID_SUFFIX}`;
}

export function serializeTrendState(state: TrendState): string {
  return JSON.stringify(state);
}

/** The newest local day the state holds, or undefined when empty. */
export function latestDay(state: TrendState): string | undefined {
  let latest: string | undefined;
  for (const day of Object.keys(state.days)) if (!latest || day > latest) latest = day;
  return latest;
}
