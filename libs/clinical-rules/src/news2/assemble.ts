import type { Acvpu } from './bands';
import { NEWS2_PARAMETERS, News2Input, type News2Parameter } from './score';

/** All seven NEWS2 inputs must lie within this span of each other (CLINICAL.md 0, EW-01..EW-03). */
export const NEWS2_SET_WINDOW_MS = 60 * 60 * 1000;

interface ReadingBase {
  /** Effective (measured) time, ISO 8601. */
  readonly measuredAt: string;
  /** Where the value came from, e.g. an observationId or a questionnaire answer id; kept as evidence. */
  readonly sourceId: string;
}

/** One timestamped value of one NEWS2 parameter, canonical units. */
export type News2Reading = ReadingBase &
  (
    | { readonly parameter: 'respiratoryRate' | 'spo2' | 'systolicBp' | 'pulse' | 'temperature'; readonly value: number }
    | { readonly parameter: 'supplementalOxygen'; readonly value: boolean }
    | { readonly parameter: 'consciousness'; readonly value: Acvpu }
  );

export interface News2Set {
  readonly input: News2Input;
  /** The reading used for each parameter: the latest one at or before the evaluation time. */
  readonly readings: Readonly<Record<News2Parameter, News2Reading>>;
  /** Newest and oldest measuredAt of the seven readings (ISO); at most 60 min apart. */
  readonly newestAt: string;
  readonly oldestAt: string;
}

function timeOf(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`NEWS2: not an ISO date-time: ${iso}`);
  return t;
}

/**
 * Total order used to pick "the latest" reading of a parameter: later measuredAt wins, then the
 * larger sourceId, then the larger JSON value, so the choice never depends on input order.
 */
function isLater(a: News2Reading, b: News2Reading): boolean {
  const dt = timeOf(a.measuredAt) - timeOf(b.measuredAt);
  if (dt !== 0) return dt > 0;
  if (a.sourceId !== b.sourceId) return a.sourceId > b.sourceId;
  return JSON.stringify(a.value) > JSON.stringify(b.value);
}

/**
 * Builds the NEWS2 set as of `measuredAt` (the effective time of the reading that triggered the
 * evaluation, never the wall clock): the latest reading of each parameter measured at or before
 * it; readings measured after it are ignored, so a replay gives the same set.
 *
 * Returns null (a partial set, which raises nothing) when a parameter has no reading, or when the
 * seven chosen readings span more than 60 min (exactly 60 min still counts). Oxygen and
 * consciousness are never assumed to be "air" and "alert" (CLINICAL.md 3.1). Throws on an
 * invalid date-time, or on a mistyped or non-finite value in a chosen reading.
 */
export function assembleNews2Set(readings: readonly News2Reading[], measuredAt: string): News2Set | null {
  const asOf = timeOf(measuredAt);
  const latest = new Map<News2Parameter, News2Reading>();
  for (const reading of readings) {
    if (timeOf(reading.measuredAt) > asOf) continue;
    const current = latest.get(reading.parameter);
    if (!current || isLater(reading, current)) latest.set(reading.parameter, reading);
  }
  const chosen = NEWS2_PARAMETERS.map((p) => latest.get(p));
  if (!chosen.every((r): r is News2Reading => r !== undefined)) return null;

  const times = chosen.map((r) => timeOf(r.measuredAt));
  const newest = Math.max(...times);
  const oldest = Math.min(...times);
  if (newest - oldest > NEWS2_SET_WINDOW_MS) return null;

  const byParameter = Object.fromEntries(chosen.map((r) => [r.parameter, r])) as Record<News2Parameter, News2Reading>;
  // Validates too: a mistyped or non-finite value is a caller bug and throws, never scores.
  const input = News2Input.parse(Object.fromEntries(chosen.map((r) => [r.parameter, r.value])));
  return Object.freeze({
    input: Object.freeze(input),
    readings: Object.freeze(byParameter),
    newestAt: new Date(newest).toISOString(),
    oldestAt: new Date(oldest).toISOString(),
  });
}
