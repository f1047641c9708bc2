import type { ObservationV1 } from '@rpm/contracts';
import type { RuleFiring } from '../evaluate-threshold';
import { evaluateBpRule } from './bp-trends';
import { localTimeOf } from './local-day';
import { evaluateSpo2Rule } from './spo2-trends';
import { appliesToPatient, type TrendPatient } from './trend-firing';
import { TREND_RULES, type TrendRule } from './trend-rules';
import type { TrendState } from './trend-state';
import { evaluateWeightRule } from './weight-trends';

function evaluateRule(rule: TrendRule, state: TrendState, observation: ObservationV1, date: string): RuleFiring | null {
  switch (rule.measure) {
    case 'weight_change':
      return evaluateWeightRule(rule, state, observation, date);
    case 'bp_mean':
      return evaluateBpRule(rule, state, observation, date);
    case 'spo2_median_drop':
      return evaluateSpo2Rule(rule, state, observation, date);
  }
}

/**
 * Evaluates the trend rules a new observation can change, on the state that already
 * includes it (`applyObservation` first), for the reading's own local day: a weight reading
 * runs the weight rules, a BP reading BP-05/06, an SpO2 reading SP-05. Later days a late
 * reading would also shift are not re-evaluated here.
 *
 * Only rules that are enabled (`enabledByDefault`; pass a rule list with HF-03 switched on
 * for the sensitive profile), read this observation's code and apply to the patient's
 * programmes are run; a firing rule removes the lesser rules it supersedes (BP-05 > BP-06).
 * Like evaluateReading, the result depends on state and observation only: `now` is kept in
 * the signature for the stateful suppression that will use it. Firings come in rule order.
 */
export function evaluateTrends(
  state: TrendState,
  observation: ObservationV1,
  patient: TrendPatient,
  _now?: Date,
  rules: readonly TrendRule[] = TREND_RULES,
): RuleFiring[] {
  const candidates = rules.filter((r) => r.enabledByDefault && r.vital === observation.code && appliesToPatient(r.population, patient));
  if (candidates.length === 0) return [];
  const { date } = localTimeOf(observation.measuredAt, patient.timezone);
  const fired = candidates
    .map((rule) => ({ rule, firing: evaluateRule(rule, state, observation, date) }))
    .filter((f): f is { rule: TrendRule; firing: RuleFiring } => f.firing !== null);
  const superseded = new Set(fired.flatMap((f) => f.rule.supersedes));
  return fired.filter((f) => !superseded.has(f.rule.id)).map((f) => f.firing);
}
