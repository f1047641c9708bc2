import type { ObservationV1 } from '@rpm/contracts';
import { LOINC } from '@rpm/vitals';
import { compare, boundsOf } from '../conditions';
import type { Bound, Condition, RuleDefinition } from '../rule-definition';
import type { TrendRule } from '../trends';
import { DEFAULT_RULES } from '../default-rules';

/**
 * Re-arm deadbands per component (CLINICAL.md section 0, Proposed): an episode ends only once
 * the value is back inside the limit by this much, so a value hovering at a threshold does
 * not open and close alerts. Respiratory rate has none listed there: 2 /min (Proposed).
 */
export const DEADBAND: Readonly<Record<string, number>> = {
  [LOINC.systolic]: 5,
  [LOINC.diastolic]: 5,
  [LOINC.heartRate]: 5,
  [LOINC.spo2]: 2,
  [LOINC.glucose]: 10,
  [LOINC.bodyTemperature]: 0.3,
  [LOINC.bodyWeight]: 0.5,
  [LOINC.respiratoryRate]: 2,
};

/**
 * Middle of the normal range per component, used only to tell which bound of a band faces
 * normal: RR-02's band (> 20 and < 25) is left towards normal through 20, SP-02's (> 91 and
 * < 94) through 94. The other bound leads to a worse rule, which is no return to normal.
 */
const NORMAL_MIDDLE: Readonly<Record<string, number>> = {
  [LOINC.systolic]: 120,
  [LOINC.diastolic]: 75,
  [LOINC.heartRate]: 70,
  [LOINC.spo2]: 97,
  [LOINC.glucose]: 110,
  [LOINC.bodyTemperature]: 37,
  [LOINC.bodyWeight]: 75,
  [LOINC.respiratoryRate]: 16,
};

function normalFacing(condition: Condition): Bound {
  const bounds = boundsOf(condition);
  const middle = NORMAL_MIDDLE[condition.code];
  if (bounds.length === 1 || middle === undefined) return bounds[0]!;
  return bounds.reduce((best, b) => (Math.abs(b.threshold - middle) < Math.abs(best.threshold - middle) ? b : best));
}

/** The limit a value must reach to count as back to normal: the normal-facing bound moved by the deadband. */
export function clearLimit(condition: Condition): Bound {
  const bound = normalFacing(condition);
  const deadband = DEADBAND[condition.code] ?? 0;
  // A rule firing above a limit clears at or below (limit - deadband); one firing below, at or above (limit + deadband).
  return bound.comparator === '>' || bound.comparator === '>='
    ? { comparator: '<=', threshold: bound.threshold - deadband }
    : { comparator: '>=', threshold: bound.threshold + deadband };
}

/**
 * Whether this reading ends an open episode of the rule: every condition the reading carries a
 * component for is back inside its clear limit (the conditions are OR-ed, so all must clear).
 * A reading carrying none of the rule's components says nothing (false).
 */
export function returnsToNormal(rule: RuleDefinition, observation: ObservationV1): boolean {
  let assessed = 0;
  for (const condition of rule.conditions) {
    const component = observation.components.find((c) => c.code === condition.code);
    if (!component) continue;
    assessed += 1;
    const limit = clearLimit(condition);
    // limit.threshold carries float noise (38.0 - 0.3); a value exactly at the limit clears.
    const tolerance = limit.comparator === '<=' ? 1e-9 : -1e-9;
    if (!compare(component.value, limit.comparator, limit.threshold + tolerance)) return false;
  }
  return assessed > 0;
}

/**
 * The trend rule with its thresholds moved towards normal by the deadband of its vital: an
 * episode of a trend rule ends only once this relaxed rule no longer fires, so a 7-day BP mean
 * hovering at 140 does not open and close BP-05 day after day.
 */
export function relaxedTrendRule(rule: TrendRule): TrendRule {
  switch (rule.measure) {
    case 'bp_mean':
      return { ...rule, systolic: rule.systolic - (DEADBAND[LOINC.systolic] ?? 0), diastolic: rule.diastolic - (DEADBAND[LOINC.diastolic] ?? 0) };
    case 'weight_change': {
      const deadband = DEADBAND[LOINC.bodyWeight] ?? 0;
      return {
        ...rule,
        changes: rule.changes.map((c) => ({ ...c, threshold: c.comparator === '>' || c.comparator === '>=' ? c.threshold - deadband : c.threshold + deadband })),
      };
    }
    case 'spo2_median_drop':
      return { ...rule, drop: rule.drop - (DEADBAND[LOINC.spo2] ?? 0) };
  }
}

/**
 * CLINICAL.md 4.2 (suppression): after a nurse closes an item, the same rule stays quiet for 24 h
 * unless its severity rises or the value worsens by at least twice the deadband.
 */
export const SUPPRESS_AFTER_CLOSE_MS = 24 * 60 * 60 * 1000;

interface Value {
  readonly code: string;
  readonly value: number;
}

/**
 * Whether `after` is worse than the worst of `before` by at least twice the deadband, in the
 * direction the threshold rule fires (higher for a rule above a limit, lower for one below).
 * Rules without per-component limits (trends, NEWS2, AD-01) answer false: for them only a higher
 * severity or the 24 h end of suppression brings an item back.
 */
export function worsenedBeyondDeadband(ruleId: string, before: readonly Value[], after: readonly Value[]): boolean {
  const rule = DEFAULT_RULES.find((r) => r.id === ruleId);
  if (!rule) return false;
  return rule.conditions.some((condition) => {
    const deadband = DEADBAND[condition.code];
    const was = before.filter((v) => v.code === condition.code).map((v) => v.value);
    const now = after.filter((v) => v.code === condition.code).map((v) => v.value);
    if (deadband === undefined || was.length === 0 || now.length === 0) return false;
    const firesAbove = clearLimit(condition).comparator === '<=';
    return firesAbove ? Math.max(...now) >= Math.max(...was) + 2 * deadband : Math.min(...now) <= Math.min(...was) - 2 * deadband;
  });
}
