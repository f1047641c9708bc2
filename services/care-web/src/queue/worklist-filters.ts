import type { AlertResponse, Program } from '@rpm/contracts';
import { isSnoozed, SEVERITY_RANK } from '../ui/format';

type Queue = AlertResponse['queue'];

/** The queue view's filters, as kept in the address bar (`/?queue=adherence&assignee=me`). */
export interface WorklistFilters {
  readonly queue: Queue;
  readonly status: 'active' | 'open' | 'acknowledged' | 'resolved';
  readonly assignee: 'anyone' | 'me' | 'none';
  readonly programme: 'all' | 'general' | Program;
}

export const QUEUES = ['clinical', 'adherence'] as const satisfies readonly Queue[];
export const STATUSES = ['active', 'open', 'acknowledged', 'resolved'] as const satisfies readonly WorklistFilters['status'][];
export const ASSIGNEES = ['anyone', 'me', 'none'] as const satisfies readonly WorklistFilters['assignee'][];
export const PROGRAMMES = ['all', 'general', 'heart_failure', 'hypertension', 'copd', 'diabetes'] as const satisfies readonly WorklistFilters['programme'][];

export const DEFAULT_FILTERS: WorklistFilters = { queue: 'clinical', status: 'active', assignee: 'anyone', programme: 'all' };

function pick<T extends string>(allowed: readonly T[], value: string | null, fallback: T): T {
  return allowed.find((a) => a === value) ?? fallback;
}

export function filtersFromSearch(search: URLSearchParams): WorklistFilters {
  return {
    queue: pick(QUEUES, search.get('queue'), DEFAULT_FILTERS.queue),
    status: pick(STATUSES, search.get('status'), DEFAULT_FILTERS.status),
    assignee: pick(ASSIGNEES, search.get('assignee'), DEFAULT_FILTERS.assignee),
    programme: pick(PROGRAMMES, search.get('programme'), DEFAULT_FILTERS.programme),
  };
}

/** Only what differs from the defaults, so the plain queue keeps the plain address "/". */
export function searchOfFilters(filters: WorklistFilters): string {
  const search = new URLSearchParams();
  for (const key of Object.keys(DEFAULT_FILTERS) as (keyof WorklistFilters)[]) {
    if (filters[key] !== DEFAULT_FILTERS[key]) search.set(key, filters[key]);
  }
  const text = search.toString();
  return text ? `/?${text}` : '/';
}

/** GET /alerts parameters for the filters (the API does the filtering; this mirrors it for live updates). */
export function alertQuery(filters: WorklistFilters): Record<string, string> {
  return {
    queue: filters.queue,
    status: filters.status,
    ...(filters.assignee === 'anyone' ? {} : { assignee: filters.assignee }),
    ...(filters.programme === 'all' ? {} : { programme: filters.programme }),
  };
}

/** Whether an alert belongs in the list the filters show: the API's rules, for alerts the stream brings in. */
export function matchesFilters(alert: AlertResponse, filters: WorklistFilters, me: string, now: number): boolean {
  if (alert.queue !== filters.queue) return false;
  if (filters.status === 'active' ? alert.status === 'resolved' : alert.status !== filters.status) return false;
  if (filters.assignee === 'me' && alert.assignedTo !== me) return false;
  if (filters.assignee === 'none' && alert.assignedTo) return false;
  const programs = alert.patient?.programs ?? [];
  if (filters.programme === 'general' && programs.length > 0) return false;
  if (filters.programme !== 'all' && filters.programme !== 'general' && !programs.includes(filters.programme)) return false;
  return !isSnoozed(alert, now);
}

/** Most severe first, then oldest (the API's ORDER BY severity, raised_at, id). */
export function compareWorklist(a: AlertResponse, b: AlertResponse): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.raisedAt.localeCompare(b.raisedAt) || a.id.localeCompare(b.id);
}

/** The list with `alert` in its place, or without it when it no longer matches. */
export function placeAlert(list: readonly AlertResponse[], alert: AlertResponse, matches: boolean): AlertResponse[] {
  const rest = list.filter((a) => a.id !== alert.id);
  if (!matches) return rest;
  return [...rest, alert].sort(compareWorklist);
}
