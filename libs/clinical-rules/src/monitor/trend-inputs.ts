import type { AlertEvidence, AlertExplanation, ObservationV1 } from '@rpm/contracts';
import { LOINC, UCUM } from '@rpm/vitals';
import { addDays, localTimeOf, TREND_RETENTION_DAYS, weightObservationId, type TrendRule, type TrendState } from '../trends';
import { utcMidnightOf } from '../trends/local-day';

/** The span of readings a trend verdict used, for the explanation. */
export function trendWindow(rule: TrendRule, observation: ObservationV1, evidence: readonly AlertEvidence[]): AlertExplanation['window'] {
  const times = evidence.map((e) => Date.parse(e.measuredAt));
  const to = new Date(Math.max(Date.parse(observation.measuredAt), ...times)).toISOString();
  switch (rule.measure) {
    case 'weight_change':
      return { description: 'first morning weights compared (local days)', from: new Date(Math.min(...times)).toISOString(), to };
    case 'bp_mean':
      return {
        description: `mean of ${rule.windowDays} local days (at least ${rule.minReadings} readings on ${rule.minDays} days)`,
        from: new Date(Date.parse(observation.measuredAt) - (rule.windowDays - 1) * 86_400_000).toISOString(),
        to,
      };
    case 'spo2_median_drop':
      return {
        description: `daily median against the median of the previous ${rule.baselineDays} days (at least ${rule.minBaselineDays} days)`,
        from: new Date(Date.parse(observation.measuredAt) - rule.baselineDays * 86_400_000).toISOString(),
        to,
      };
  }
}

/**
 * The first morning weights of the days after this reading's day, within the weight rules'
 * look-back, as observations rebuilt from the trend state (their own ids and times), so that
 * their alerts carry the same keys as if the readings had come in order.
 */
export function laterFirstWeights(trend: TrendState, observation: ObservationV1, timeZone: string): ObservationV1[] {
  const date = localTimeOf(observation.measuredAt, timeZone).date;
  const later: ObservationV1[] = [];
  for (let days = 1; days <= TREND_RETENTION_DAYS.weight; days++) {
    const day = addDays(date, days);
    const first = trend.days[day]?.w;
    if (!first) continue;
    const [kg, atSec, id] = first;
    later.push({
      ...observation,
      observationId: weightObservationId(id),
      messageId: weightObservationId(id).split('/')[1] ?? '',
      measuredAt: new Date(utcMidnightOf(day) + Math.round(atSec * 1000)).toISOString(),
      components: [{ code: LOINC.bodyWeight, value: kg, unit: UCUM.kg, originalValue: kg, originalUnit: UCUM.kg }],
    });
  }
  return later;
}

