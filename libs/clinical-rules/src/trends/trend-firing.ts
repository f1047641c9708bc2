import type { AlertEvidence, ObservationV1, Program } from '@rpm/contracts';
import type { RuleFiring } from '../evaluate-threshold';
import { isRetrospective } from '../evaluate-threshold';
import type { Comparator } from '../rule-definition';
import type { TrendPopulation, TrendRule } from './trend-rules';

/** What the trend rules need to know about a patient. */
export interface TrendPatient {
  readonly programs: readonly Program[];
  /** IANA zone, e.g. "America/New_York": day boundaries and the 04:00 morning weight. */
  readonly timezone: string;
}

/**
 * Differences and means of unrounded values carry float noise (84.91 − 84 = 0.90999…), which
 * must not decide a boundary: comparisons treat values within 1e-9 of the threshold as equal.
 */
const EPSILON = 1e-9;

export function meets(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '>':
      return value > threshold + EPSILON;
    case '>=':
      return value >= threshold - EPSILON;
    case '<':
      return value < threshold - EPSILON;
    case '<=':
      return value <= threshold + EPSILON;
  }
}

export const SYMBOL: Readonly<Record<Comparator, string>> = { '>': '>', '>=': '≥', '<': '<', '<=': '≤' };

/** A value at `decimals`, with more when rounding would make it read the other way round the threshold. */
export function shown(value: number, decimals: number, comparator: Comparator, threshold: number, signed = false): string {
  const verdict = meets(value, comparator, threshold);
  let text = value.toFixed(3);
  for (let d = decimals; d <= 3; d++) {
    if (meets(Number(value.toFixed(d)), comparator, threshold) === verdict) {
      text = value.toFixed(d);
      break;
    }
  }
  return signed && value >= 0 ? `+${text}` : text;
}

export function appliesToPatient(population: TrendPopulation, patient: TrendPatient): boolean {
  return population.kind === 'all' || population.programs.some((p) => patient.programs.includes(p));
}

export { evidenceOf } from '../evidence';

/**
 * A trend firing in the RuleFiring shape. DQ-02: a late reading still updates trends and is
 * tagged "retrospective", but only single-reading alerts lose a level, so severity stays.
 */
export function trendFiring(
  rule: TrendRule,
  observation: ObservationV1,
  summary: string,
  threshold: string,
  evidence: AlertEvidence[],
): RuleFiring {
  const retrospective = isRetrospective(observation);
  const hours = Math.round((Date.parse(observation.receivedAt) - Date.parse(observation.measuredAt)) / 3_600_000);
  return {
    ruleId: rule.id,
    ruleSource: rule.source,
    severity: rule.severity,
    kind: 'alert',
    summary: retrospective ? `${summary} — retrospective: measured ${hours} h before it arrived` : summary,
    threshold,
    retrospective,
    evidence,
  };
}
