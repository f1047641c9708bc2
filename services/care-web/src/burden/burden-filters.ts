import type { AlertBurdenRow, ProtocolName } from '@rpm/contracts';
import { defaultDates, startOfDate, type DateRange } from '../backtest/period';

/** The report's filters as kept in the address bar (`/reports/alert-burden?programme=copd`). */
export interface BurdenFilters extends DateRange {
  readonly programme: 'all' | ProtocolName;
  readonly careTeam: string;
}

const PROGRAMMES = ['all', 'general', 'heart_failure', 'hypertension', 'copd', 'diabetes'] as const satisfies readonly BurdenFilters['programme'][];

export function filtersOfSearch(search: URLSearchParams, now: number): BurdenFilters {
  const dates = defaultDates(now);
  const date = (value: string | null, fallback: string) => (value && startOfDate(value) !== null ? value : fallback);
  return {
    from: date(search.get('from'), dates.from),
    to: date(search.get('to'), dates.to),
    programme: PROGRAMMES.find((p) => p === search.get('programme')) ?? 'all',
    careTeam: (search.get('careTeam') ?? '').trim().slice(0, 100),
  };
}

/** Only what differs from the defaults (a bookmark of "the last 30 days" stays the last 30 days). */
export function searchOfFilters(filters: BurdenFilters, now: number): string {
  const dates = defaultDates(now);
  const search = new URLSearchParams();
  if (filters.from !== dates.from) search.set('from', filters.from);
  if (filters.to !== dates.to) search.set('to', filters.to);
  if (filters.programme !== 'all') search.set('programme', filters.programme);
  if (filters.careTeam.trim()) search.set('careTeam', filters.careTeam.trim());
  const text = search.toString();
  return text ? `?${text}` : '';
}

export interface BurdenTotals {
  readonly alerts: number;
  readonly acknowledged: number;
  readonly resolved: number;
  /** Of all alerts, acknowledged within target (weighted by alerts, not an average of rows). */
  readonly withinTargetShare: number | null;
  /** Of the resolved, measurement error or no action. */
  readonly lowValueShare: number | null;
}

/** The report's totals over its rows. */
export function burdenTotals(rows: readonly AlertBurdenRow[]): BurdenTotals {
  const alerts = rows.reduce((n, r) => n + r.alerts, 0);
  const resolved = rows.reduce((n, r) => n + r.resolved, 0);
  const withinTarget = rows.reduce((n, r) => n + r.acknowledgedWithinTargetShare * r.alerts, 0);
  const lowValue = rows.reduce((n, r) => n + (r.measurementErrorOrNoActionShare ?? 0) * r.resolved, 0);
  return {
    alerts,
    acknowledged: rows.reduce((n, r) => n + r.acknowledged, 0),
    resolved,
    withinTargetShare: alerts > 0 ? withinTarget / alerts : null,
    lowValueShare: resolved > 0 ? lowValue / resolved : null,
  };
}
