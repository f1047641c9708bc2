import type { ObservationV1 } from '@rpm/contracts';
import { LOINC, UCUM } from '@rpm/vitals';
import type { RuleFiring } from '../evaluate-threshold';
import { histogramMedian, median } from './aggregates';
import { addDays } from './local-day';
import { evidenceOf, meets, shown, trendFiring } from './trend-firing';
import type { Spo2DropRule } from './trend-rules';
import type { TrendState } from './trend-state';

export function describeSpo2Threshold(rule: Spo2DropRule): string {
  return `Daily median SpO2 ≤ median of the previous ${rule.baselineDays} daily medians − ${rule.drop} ${UCUM.percent} (baseline needs ≥ ${rule.minBaselineDays} days)`;
}

/**
 * SP-05: the reading's day median against the baseline, the median of the daily medians of
 * the previous `baselineDays` days; a day with at least one reading is a valid day.
 */
export function evaluateSpo2Rule(rule: Spo2DropRule, state: TrendState, observation: ObservationV1, date: string): RuleFiring | null {
  const todayHistogram = state.days[date]?.s;
  if (!todayHistogram) return null;
  const dailyMedians: number[] = [];
  for (let back = rule.baselineDays; back >= 1; back--) {
    const histogram = state.days[addDays(date, -back)]?.s;
    if (histogram) dailyMedians.push(histogramMedian(histogram));
  }
  if (dailyMedians.length < rule.minBaselineDays) return null;
  const baseline = median(dailyMedians.sort((a, b) => a - b));
  const today = histogramMedian(todayHistogram);
  const limit = baseline - rule.drop;
  if (!meets(today, '<=', limit)) return null;

  const readings = Object.values(todayHistogram).reduce((a, b) => a + b, 0);
  const summary =
    `SpO2 daily median ${shown(today, 0, '<=', limit)} ${UCUM.percent} (${readings} readings on ${date}), ` +
    `${rule.baselineDays}-day baseline median ${shown(baseline, 0, '>=', today + rule.drop)} ${UCUM.percent} from ${dailyMedians.length} days ` +
    `(${rule.id}, ≤ baseline − ${rule.drop})`;
  return trendFiring(rule, observation, summary, describeSpo2Threshold(rule), evidenceOf(observation, [LOINC.spo2]));
}
