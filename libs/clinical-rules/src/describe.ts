import type { ObservationComponent } from '@rpm/contracts';
import { boundsOf, holds } from './conditions';
import type { Comparator, Condition, RuleDefinition } from './rule-definition';
import { displayOf } from './vital-codes';

/** Extra decimals allowed so that a displayed value never contradicts its comparison. */
const MAX_DECIMALS = 3;

const SYMBOL: Readonly<Record<Comparator, string>> = { '>': '>', '>=': '≥', '<': '<', '<=': '≤' };

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** A threshold at its unit's decimals, or more when it has them (a tuned 180.5 stays 180.5). */
function formatThreshold(value: number, decimals: number): string {
  for (let d = decimals; d < MAX_DECIMALS; d++) {
    if (Number(value.toFixed(d)) === value) return value.toFixed(d);
  }
  return value.toFixed(MAX_DECIMALS);
}

/**
 * A measured value at its unit's display precision (CLINICAL.md 1.6). Rules compare the
 * unrounded value, so when rounding would make it read as not meeting the condition
 * (SBP 180.01 shown as "180 > 180"), more decimals are shown.
 */
export function formatValue(value: number, decimals: number, condition?: Condition): string {
  for (let d = decimals; d < MAX_DECIMALS; d++) {
    const shown = value.toFixed(d);
    if (!condition || holds(condition, Number(shown))) return shown;
  }
  return value.toFixed(MAX_DECIMALS);
}

function boundsText(condition: Condition, decimals: number): string {
  return boundsOf(condition)
    .map((b) => `${SYMBOL[b.comparator]} ${formatThreshold(b.threshold, decimals)}`)
    .join(' and ');
}

/** "systolic > 180 mm[Hg]", "respiratory rate > 20 and < 25 /min". */
export function describeCondition(condition: Condition): string {
  const { label, unit, decimals } = displayOf(condition.code);
  return `${label} ${boundsText(condition, decimals)} ${unit}`.trimEnd();
}

/** The rule's condition(s) for people: "Systolic > 180 mm[Hg] or diastolic > 120 mm[Hg]". */
export function describeThreshold(rule: Pick<RuleDefinition, 'conditions'>): string {
  return capitalize(rule.conditions.map(describeCondition).join(' or '));
}

/** What was measured against what: "systolic 186 mm[Hg] > 180", plus the value as sent when converted. */
export function describeMatch(condition: Condition, component: ObservationComponent): string {
  const { label, decimals } = displayOf(condition.code);
  const value = formatValue(component.value, decimals, condition);
  const converted = component.originalValue !== component.value;
  const sent = converted ? ` (sent as ${formatValue(component.originalValue, 1)} ${component.originalUnit})` : '';
  return `${label} ${value} ${component.unit}${sent} ${boundsText(condition, decimals)}`;
}

export { capitalize };
