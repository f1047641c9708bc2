import type { ObservationV1 } from '@rpm/contracts';
import { LOINC, UCUM } from '@rpm/vitals';
import type { RuleFiring } from '../evaluate-threshold';
import { bpWindowMean } from './aggregates';
import { addDays } from './local-day';
import { evidenceOf, meets, shown, trendFiring } from './trend-firing';
import type { BpMeanRule } from './trend-rules';
import type { BpSession, TrendState } from './trend-state';

export function describeBpThreshold(rule: BpMeanRule): string {
  const drop = rule.dropFirstDay ? ', first monitoring day dropped' : '';
  return (
    `${rule.windowDays}-day mean systolic ≥ ${rule.systolic} ${UCUM.mmHg} or diastolic ≥ ${rule.diastolic} ${UCUM.mmHg}` +
    ` (≥ ${rule.minReadings} readings on ≥ ${rule.minDays} days${drop}; sessions within 10 min averaged first)`
  );
}

/**
 * BP-05 / BP-06: the mean over the `windowDays` local days ending on the reading's day,
 * without the first day of home monitoring. Each session (readings <= 10 min apart) counts
 * once in the mean; the minimum counts are raw readings and days with a reading.
 */
export function evaluateBpRule(rule: BpMeanRule, state: TrendState, observation: ObservationV1, date: string): RuleFiring | null {
  if (!state.days[date]?.b) return null;
  const days: (readonly BpSession[])[] = [];
  let dropped = false;
  for (let back = rule.windowDays - 1; back >= 0; back--) {
    const at = addDays(date, -back);
    if (rule.dropFirstDay && at === state.bp1) {
      dropped = true;
      continue;
    }
    days.push(state.days[at]?.b ?? []);
  }
  const mean = bpWindowMean(days);
  if (mean.readings < rule.minReadings || mean.days < rule.minDays) return null;
  const high = meets(mean.systolic, '>=', rule.systolic) || meets(mean.diastolic, '>=', rule.diastolic);
  if (!high) return null;

  const sys = shown(mean.systolic, 0, '>=', rule.systolic);
  const dia = shown(mean.diastolic, 0, '>=', rule.diastolic);
  const summary =
    `${rule.windowDays}-day mean BP ${sys}/${dia} ${UCUM.mmHg} from ${mean.readings} readings in ${mean.sessions} sessions on ${mean.days} days` +
    `${dropped ? `, first monitoring day ${state.bp1} dropped` : ''} (${rule.id}, ≥ ${rule.systolic}/${rule.diastolic})`;
  return trendFiring(rule, observation, summary, describeBpThreshold(rule), evidenceOf(observation, [LOINC.systolic, LOINC.diastolic]));
}
