import type { Severity } from '@rpm/contracts';

/** A severity's acknowledgement target: a duration, or the end of the next business day in the patient's time zone. */
export type AcknowledgeTarget = { readonly minutes: number } | { readonly nextBusinessDay: true };
export type AcknowledgeTargets = Readonly<Record<Severity, AcknowledgeTarget>>;

/** The targets of CLINICAL.md 4.3: high 30 min, medium 4 h, low the next business day. */
export const DEFAULT_ACKNOWLEDGE_TARGETS = 'high=30m,medium=4h,low=next-business-day';

/** The hour (local) a business day ends: a low alert raised on Friday is due Monday at 17:00. */
const BUSINESS_DAY_ENDS_AT_HOUR = 17;

const UNIT_MINUTES: Readonly<Record<string, number>> = { s: 1 / 60, m: 1, h: 60, d: 24 * 60 };

/**
 * "high=30m,medium=4h,low=next-business-day" (CARE_API_ACKNOWLEDGE_TARGETS); every severity must be
 * given once. Throws with the offending part, so a typo stops the service at start.
 */
export function parseAcknowledgeTargets(spec: string): AcknowledgeTargets {
  const targets: Partial<Record<Severity, AcknowledgeTarget>> = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^(high|medium|low)=(?:(\d+(?:\.\d+)?)([smhd])|(next-business-day))$/.exec(part);
    if (!match) throw new Error(`acknowledge target "${part}": expected severity=<number><s|m|h|d> or severity=next-business-day`);
    const severity = match[1] as Severity;
    if (targets[severity]) throw new Error(`acknowledge target for ${severity} given twice`);
    targets[severity] = match[4] ? { nextBusinessDay: true } : { minutes: Number(match[2]) * (UNIT_MINUTES[match[3] as string] as number) };
  }
  const missing = (['high', 'medium', 'low'] as const).filter((s) => !targets[s]);
  if (missing.length > 0) throw new Error(`acknowledge targets missing for ${missing.join(', ')}`);
  return targets as AcknowledgeTargets;
}

/** Local calendar fields of an instant in a time zone. */
function localParts(at: Date, timeZone: string): { year: number; month: number; day: number; weekday: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { year: Number(get('year')), month: Number(get('month')), day: Number(get('day')), weekday };
}

/** The instant a local wall-clock time happens in a time zone (DST-safe: corrects by the zone's offset at that instant). */
function zonedInstant(year: number, month: number, day: number, hour: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day, hour);
  const offsetAt = (t: number) => {
    const p = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(t));
    const n = (type: string) => Number(p.find((x) => x.type === type)?.value);
    return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - t;
  };
  const first = guess - offsetAt(guess);
  return new Date(guess - offsetAt(first));
}

/** When an alert of this severity raised at `raisedAt` for a patient in `timeZone` must be acknowledged. */
export function acknowledgeBy(targets: AcknowledgeTargets, severity: Severity, raisedAt: Date, timeZone: string): Date {
  const target = targets[severity];
  if ('minutes' in target) return new Date(raisedAt.getTime() + target.minutes * 60_000);
  // The next business day (Monday to Friday) after the local day it was raised, at its end.
  const local = localParts(raisedAt, timeZone);
  let { year, month, day } = local;
  let weekday = local.weekday;
  do {
    const next = new Date(Date.UTC(year, month - 1, day + 1));
    [year, month, day, weekday] = [next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), next.getUTCDay()];
  } while (weekday === 0 || weekday === 6);
  return zonedInstant(year, month, day, BUSINESS_DAY_ENDS_AT_HOUR, timeZone);
}
