import type { AlertEvidence, ObservationV1 } from '@rpm/contracts';
import { LOINC, UCUM } from '@rpm/vitals';
import type { RuleFiring } from '../evaluate-threshold';
import { addDays, utcMidnightOf } from './local-day';
import { SYMBOL, evidenceOf, meets, shown, trendFiring } from './trend-firing';
import type { WeightChange, WeightTrendRule } from './trend-rules';
import { compactWeightId, weightObservationId, type FirstWeight, type TrendState } from './trend-state';

interface Reference {
  readonly weight: FirstWeight;
  readonly date: string;
}

function referenceOf(state: TrendState, date: string, change: WeightChange): Reference | undefined {
  if (change.reference === 'day') {
    const at = addDays(date, -change.days);
    const weight = state.days[at]?.w;
    return weight && { weight, date: at };
  }
  let lowest: Reference | undefined;
  for (let back = change.days; back >= 1; back--) {
    const at = addDays(date, -back);
    const weight = state.days[at]?.w;
    if (weight && (!lowest || weight[0] < lowest.weight[0])) lowest = { weight, date: at };
  }
  return lowest;
}

const kg = (value: number): string => `${value.toFixed(1)} ${UCUM.kg}`;

function sinceText(change: WeightChange, ref: Reference): string {
  if (change.reference === 'min') return `the lowest first weight of the previous ${change.days} days, ${kg(ref.weight[0])} on ${ref.date}`;
  if (change.days === 1) return `yesterday's first weight ${kg(ref.weight[0])}`;
  return `the first weight ${change.days} days earlier, ${kg(ref.weight[0])} on ${ref.date}`;
}

function formulaText(change: WeightChange): string {
  const ref =
    change.reference === 'min'
      ? `lowest first weight of the previous ${change.days} days`
      : change.days === 1
        ? `previous day's first weight`
        : `first weight ${change.days} days earlier`;
  return `first morning weight − ${ref} ${SYMBOL[change.comparator]} ${change.threshold} ${UCUM.kg}`;
}

export function describeWeightThreshold(rule: WeightTrendRule): string {
  const text = rule.changes.map(formulaText).join(' or ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const weightEvidence = (ref: Reference): AlertEvidence => ({
  observationId: weightObservationId(ref.weight[2]),
  code: LOINC.bodyWeight,
  value: ref.weight[0],
  unit: UCUM.kg,
  measuredAt: new Date(utcMidnightOf(ref.date) + Math.round(ref.weight[1] * 1000)).toISOString(),
});

/**
 * HF-01..HF-04 on the reading's local day. Only a reading that is (now) its day's first
 * morning weight can change a verdict; any later reading of the day returns null.
 */
export function evaluateWeightRule(rule: WeightTrendRule, state: TrendState, observation: ObservationV1, date: string): RuleFiring | null {
  const today = state.days[date]?.w;
  if (!today || today[2] !== compactWeightId(observation.observationId)) return null;
  const matched = rule.changes.flatMap((change) => {
    const ref = referenceOf(state, date, change);
    if (!ref) return [];
    const delta = today[0] - ref.weight[0];
    return meets(delta, change.comparator, change.threshold) ? [{ change, ref, delta }] : [];
  });
  if (matched.length === 0) return null;

  const component = observation.components.find((c) => c.code === LOINC.bodyWeight);
  const sent = component && component.originalValue !== component.value ? ` (sent as ${component.originalValue.toFixed(1)} ${component.originalUnit})` : '';
  const parts = matched.map(
    ({ change, ref, delta }) =>
      `${shown(delta, 1, change.comparator, change.threshold, true)} ${UCUM.kg} since ${sinceText(change, ref)} (${rule.id}, ${SYMBOL[change.comparator]} ${change.threshold} ${UCUM.kg})`,
  );
  const summary = `Weight ${kg(today[0])}${sent}, ${parts.join('; ')}`;
  const refs = [...new Map(matched.map((m) => [m.ref.weight[2], m.ref])).values()];
  return trendFiring(rule, observation, summary, describeWeightThreshold(rule), [
    ...evidenceOf(observation, [LOINC.bodyWeight]),
    ...refs.map(weightEvidence),
  ]);
}
