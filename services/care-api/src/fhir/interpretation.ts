import type { AlertExplanation, Severity } from '@rpm/contracts';
import { DEFAULT_RULES, type Comparator, type Condition, type RuleDefinition } from '@rpm/clinical-rules';

/** HL7 v3 ObservationInterpretation codes this API writes (CLINICAL.md 6.2). */
export type InterpretationCode = 'H' | 'L' | 'HH' | 'LL' | 'A' | 'AA';

export const INTERPRETATION_DISPLAY: Readonly<Record<InterpretationCode, string>> = {
  H: 'High',
  L: 'Low',
  HH: 'Critical high',
  LL: 'Critical low',
  A: 'Abnormal',
  AA: 'Critical abnormal',
};

/** A rule that fired on a reading: one alert's evidence row, with what the alert says about the rule. */
export interface RuleFiringOnReading {
  readonly ruleId: string;
  /** The alert's severity (a recheck is already one level lower). */
  readonly severity: Severity;
  /** When the reading that raised (or last re-raised) the alert was measured. */
  readonly alertMeasuredAt: string;
  readonly explanation: AlertExplanation | null;
  /** The evidence component: its code and canonical value, and when its reading was measured. */
  readonly code: string;
  readonly value: number;
  readonly measuredAt: string;
}

type Direction = 'high' | 'low';
const directionOf = (comparator: Comparator): Direction => (comparator === '>' || comparator === '>=' ? 'high' : 'low');

const THRESHOLD_RULES = new Map<string, RuleDefinition>(DEFAULT_RULES.map((r) => [r.id, r]));

/**
 * A band (SP-02 92–93 %, RR-02 21–24 /min, GL-02 54–69 mg/dL) points the way of the one-sided
 * rule it borders: SP-02's 91 is SP-01's `<= 91`, so SP-02 is low. Null when no rule borders it.
 */
function bandDirection(band: Condition): Direction | null {
  const bounds = [band.threshold, band.and?.threshold];
  for (const rule of DEFAULT_RULES) {
    for (const c of rule.conditions) {
      if (c.code === band.code && !c.and && bounds.includes(c.threshold)) return directionOf(c.comparator);
    }
  }
  return null;
}

/** The rule's conditions with the thresholds the alert was judged by (patient overrides, programme settings). */
function effectiveConditions(rule: RuleDefinition, explanation: AlertExplanation | null): Condition[] {
  const valueOf = (name: string, fallback: number) => explanation?.thresholds.find((t) => t.parameter === name)?.value ?? fallback;
  return rule.conditions.map((c, i) => ({
    ...c,
    threshold: valueOf(`conditions.${i}`, c.threshold),
    ...(c.and ? { and: { ...c.and, threshold: valueOf(`conditions.${i}.and`, c.and.threshold) } } : {}),
  }));
}

const holds = (c: Condition, value: number): boolean =>
  [{ comparator: c.comparator, threshold: c.threshold }, ...(c.and ? [c.and] : [])].every(({ comparator, threshold }) => {
    switch (comparator) {
      case '>':
        return value > threshold;
      case '>=':
        return value >= threshold;
      case '<':
        return value < threshold;
      case '<=':
        return value <= threshold;
    }
  });

/**
 * What one firing says about one component of a reading (docs/fhir.md "Interpretation"):
 * - a threshold rule: the direction of the condition the value breached, doubled (HH, LL) for a
 *   high-severity alert; nothing for a component the rule read but that did not breach (a normal
 *   diastolic beside a systolic above 180);
 * - any other rule (trend, NEWS2, missing data): A, or AA when high, on the reading that completed
 *   the finding only (the earlier readings of a weight trend are its baseline, not abnormal).
 */
export function interpretationOf(firing: RuleFiringOnReading): InterpretationCode | null {
  const critical = firing.severity === 'high';
  const rule = THRESHOLD_RULES.get(firing.ruleId);
  if (!rule) {
    if (Date.parse(firing.measuredAt) !== Date.parse(firing.alertMeasuredAt)) return null;
    return critical ? 'AA' : 'A';
  }
  const breached = effectiveConditions(rule, firing.explanation).find((c) => c.code === firing.code && holds(c, firing.value));
  if (!breached) return null;
  const direction = breached.and ? bandDirection(breached) : directionOf(breached.comparator);
  if (!direction) return critical ? 'AA' : 'A';
  if (direction === 'high') return critical ? 'HH' : 'H';
  return critical ? 'LL' : 'L';
}

const RANK: Readonly<Record<InterpretationCode, number>> = { A: 1, H: 1, L: 1, AA: 2, HH: 2, LL: 2 };

/** The most critical of several (two alerts on one reading); null for none. */
export function mostCritical(codes: readonly (InterpretationCode | null)[]): InterpretationCode | null {
  let worst: InterpretationCode | null = null;
  for (const code of codes) if (code && (!worst || RANK[code] > RANK[worst])) worst = code;
  return worst;
}
