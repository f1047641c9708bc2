import type { Bound, Comparator, Condition } from './rule-definition';

export function compare(value: number, comparator: Comparator, threshold: number): boolean {
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
}

export function boundsOf(condition: Condition): Bound[] {
  const first = { comparator: condition.comparator, threshold: condition.threshold };
  return condition.and ? [first, condition.and] : [first];
}

/** Whether an unrounded canonical value satisfies every bound of the condition. */
export function holds(condition: Condition, value: number): boolean {
  return boundsOf(condition).every((b) => compare(value, b.comparator, b.threshold));
}
