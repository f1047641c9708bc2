import type { ObservationV1, Program } from '@rpm/contracts';
import { anObservation } from '../testing/builders';
import { applyObservation } from './apply-observation';
import { evaluateTrends } from './evaluate-trends';
import { TREND_RULES, type TrendRule } from './trend-rules';
import { EMPTY_TREND_STATE, type TrendState } from './trend-state';

/** Test helpers for the trend specs. Not exported from index.ts. */

export const NEW_YORK = 'America/New_York';
export const SYDNEY = 'Australia/Sydney';

let sequence = 0;
const nextMessageId = (): string => `msg-${String(++sequence).padStart(6, '0')}`;

/** "2026-03-02T07:30:00-05:00" style local time to the UTC ISO string observations carry. */
export const utc = (localWithOffset: string): string => new Date(localWithOffset).toISOString();

export function aWeight(measuredAt: string, value: number, unit: 'kg' | 'lb' = 'kg', receivedAt?: string): ObservationV1 {
  return anObservation({ type: 'body_weight', value, unit, measuredAt: utc(measuredAt), receivedAt, messageId: nextMessageId() });
}

export function aBp(measuredAt: string, systolic: number, diastolic: number): ObservationV1 {
  return anObservation({ type: 'blood_pressure', systolic, diastolic, measuredAt: utc(measuredAt), messageId: nextMessageId() });
}

export function anSpo2(measuredAt: string, value: number): ObservationV1 {
  return anObservation({ type: 'spo2', value, measuredAt: utc(measuredAt), messageId: nextMessageId() });
}

export function applyAll(observations: readonly ObservationV1[], timeZone: string, state: TrendState = EMPTY_TREND_STATE): TrendState {
  return observations.reduce((s, o) => applyObservation(s, o, timeZone), state);
}

export function withEnabled(...ids: string[]): TrendRule[] {
  return TREND_RULES.map((r) => (ids.includes(r.id) ? { ...r, enabledByDefault: true } : r));
}

/** Applies every reading, then evaluates the last one: [ruleId, severity] of each firing. */
export function firedAfter(
  observations: readonly ObservationV1[],
  programs: Program[],
  timezone = NEW_YORK,
  rules: readonly TrendRule[] = TREND_RULES,
): Array<[string, string]> {
  const last = observations[observations.length - 1];
  if (!last) throw new Error('firedAfter: no observations');
  const state = applyAll(observations, timezone);
  return evaluateTrends(state, last, { programs, timezone }, undefined, rules).map((f) => [f.ruleId, f.severity]);
}
