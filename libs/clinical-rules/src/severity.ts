import type { Severity } from '@rpm/contracts';

/** Higher is more urgent. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { high: 3, medium: 2, low: 1 };

/** One level lower: high -> medium -> low; low stays low (CLINICAL.md 0 and 4.2). */
export function downgradeSeverity(severity: Severity): Severity {
  switch (severity) {
    case 'high':
      return 'medium';
    case 'medium':
    case 'low':
      return 'low';
  }
}
