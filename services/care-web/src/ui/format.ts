import type { AlertResponse, Severity, ThresholdProvenance } from '@rpm/contracts';

/** Worklist order: most severe first (the API's order; checked against the contract's Severity). */
export const SEVERITY_RANK = { high: 3, medium: 2, low: 1 } as const satisfies Record<Severity, number>;

export const SEVERITY_LABEL = { high: 'High', medium: 'Medium', low: 'Low' } as const satisfies Record<Severity, string>;

const MINUTE = 60_000;

/** "just now", "12 min ago", "3 h 5 min ago", "2 d 4 h ago": how long something has waited. */
export function formatAge(fromIso: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(fromIso)) / MINUTE));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min ago` : `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h ago` : `${days} d ago`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

export function formatShortDate(ms: number): string {
  return shortDate.format(new Date(ms));
}

/** Canonical UCUM units as a nurse reads them. */
export function displayUnit(unit: string): string {
  const names: Record<string, string> = { 'mm[Hg]': 'mmHg', Cel: '°C', '[degF]': '°F', degF: '°F', '[lb_av]': 'lb', '/min': '/min', '%': '%' };
  return names[unit] ?? unit;
}

export function formatNumber(value: number, decimals = 1): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(decimals);
}

/** "heart_failure" -> "heart failure". */
export function programmeLabel(programme: string): string {
  return programme.replace(/_/g, ' ');
}

/** Where a threshold came from: "heart failure protocol v2", or "patient override v3 by lead-1 on …: why". */
export function describeProvenance(p: ThresholdProvenance): string {
  if (p.source === 'programme') return `${programmeLabel(p.protocol)} protocol v${p.version}`;
  const who = p.setBy ? ` by ${p.setBy}` : '';
  const when = p.setAt ? ` on ${formatDateTime(p.setAt)}` : '';
  const why = p.reason ? `: “${p.reason}”` : '';
  return `patient override v${p.version}${who}${when}${why}`;
}

/** Past its acknowledgement target and still not acknowledged. */
export function isOverdue(alert: Pick<AlertResponse, 'status' | 'acknowledgeBy'>, now: number): boolean {
  return alert.status === 'open' && Date.parse(alert.acknowledgeBy) < now;
}

export function isSnoozed(alert: Pick<AlertResponse, 'snoozedUntil'>, now: number): boolean {
  return alert.snoozedUntil !== null && Date.parse(alert.snoozedUntil) > now;
}
