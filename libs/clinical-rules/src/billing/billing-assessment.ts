import { daysBetween, localTimeOf } from '../trends/local-day';
import { BILLING_PERIOD_DAYS, type BillingPeriod } from './billing-period';

/** CLINICAL.md 5.2: 99454 needs data on ≥ 16 days of the 30-day period. */
export const CPT_99454_MIN_DATA_DAYS = 16;
/** CLINICAL.md 5.2 (CY 2026 PFS final rule [FR26]): 99445 covers 2–15 days; an alternative to 99454. */
export const CPT_99445_MIN_DATA_DAYS = 2;

/** The RPM device-supply codes, by data days; the two are alternatives, never billed together. */
export type DeviceSupplyCode = '99454' | '99445';
/** CLINICAL.md 5.2 "projectedBand". */
export type ProjectedBand = 'none' | '2-15' | '16-30';
/** AD-03 (CLINICAL.md 0 and 5.2): which code the period can no longer reach. */
export type Ad03Level = '99454_unreachable' | '99445_unreachable';

export interface BillingAssessment {
  readonly period: BillingPeriod;
  /** in_progress while "now" falls inside the period; closed once it ended; upcoming before it starts. */
  readonly status: 'upcoming' | 'in_progress' | 'closed';
  /** The patient's local date now when the period is in progress, else null. */
  readonly today: string | null;
  /** Distinct local dates of the period with at least one reading (any device, any code), sorted. */
  readonly dataDates: readonly string[];
  readonly dataDays: number;
  /**
   * Days already settled: those before today, and today once it has a reading (nothing more to
   * gain from it). daysElapsed + daysRemaining = 30.
   */
  readonly daysElapsed: number;
  /** Days that can still become data days: today while it has no reading, and every later day. */
  readonly daysRemaining: number;
  /** Data days at the end of the period at the pace so far (rounded down); null before any day settled. */
  readonly projectedDataDays: number | null;
  readonly projectedBand: ProjectedBand | null;
  /** The code the data days already meet. */
  readonly codeMet: DeviceSupplyCode | null;
  /** The best code still reachable with a reading on every remaining day (dataDays + daysRemaining). */
  readonly codeReachable: DeviceSupplyCode | null;
  /** AD-03's verdict: null while 99454 is still reachable. */
  readonly ad03: Ad03Level | null;
}

export function deviceSupplyCodeFor(dataDays: number): DeviceSupplyCode | null {
  if (dataDays >= CPT_99454_MIN_DATA_DAYS) return '99454';
  if (dataDays >= CPT_99445_MIN_DATA_DAYS) return '99445';
  return null;
}

export function projectedBandOf(days: number): ProjectedBand {
  if (days >= CPT_99454_MIN_DATA_DAYS) return '16-30';
  if (days >= CPT_99445_MIN_DATA_DAYS) return '2-15';
  return 'none';
}

/** CLINICAL.md 5.2: raise AD-03 when dataDays + daysRemaining < 16, and say so again below 2. */
export function ad03Verdict(dataDays: number, daysRemaining: number): Ad03Level | null {
  const reachable = dataDays + daysRemaining;
  if (reachable < CPT_99445_MIN_DATA_DAYS) return '99445_unreachable';
  if (reachable < CPT_99454_MIN_DATA_DAYS) return '99454_unreachable';
  return null;
}

/** The distinct local dates of readings in [from, to) instants, in `timeZone`, sorted. */
export function dataDatesOf(readings: Iterable<string | number>, timeZone: string, from: number, to: number): string[] {
  const dates = new Set<string>();
  for (const reading of readings) {
    const ms = typeof reading === 'number' ? reading : Date.parse(reading);
    if (ms >= from && ms < to) dates.add(localTimeOf(ms, timeZone).date);
  }
  return [...dates].sort();
}

/**
 * Where a patient stands in one billing period (CLINICAL.md 5.2): data days counted once per local
 * calendar date whatever the number of devices or readings, the days left, the projection at the
 * current pace, the codes met and reachable, and AD-03. Readings outside the period, or later than
 * `now`, do not count.
 */
export function assessBillingPeriod(input: {
  readonly period: BillingPeriod;
  readonly timeZone: string;
  readonly readings: Iterable<string | number>;
  readonly now: string | number;
}): BillingAssessment {
  const { period, timeZone } = input;
  const nowMs = typeof input.now === 'number' ? input.now : Date.parse(input.now);
  const start = Date.parse(period.start);
  const end = Date.parse(period.end);
  const dataDates = dataDatesOf(input.readings, timeZone, start, Math.min(end, nowMs + 1));
  const dataDays = dataDates.length;
  const inProgress = nowMs >= start && nowMs < end;
  const today = inProgress ? localTimeOf(nowMs, timeZone).date : null;
  let daysRemaining = 0;
  if (today !== null) {
    const todaySettled = dataDates.includes(today);
    daysRemaining = BILLING_PERIOD_DAYS - daysBetween(period.firstDate, today) - (todaySettled ? 1 : 0);
  } else if (nowMs < start) {
    daysRemaining = BILLING_PERIOD_DAYS;
  }
  const daysElapsed = BILLING_PERIOD_DAYS - daysRemaining;
  const projectedDataDays = daysElapsed === 0 ? null : Math.floor((dataDays * BILLING_PERIOD_DAYS) / daysElapsed);
  return {
    period,
    status: nowMs >= end ? 'closed' : nowMs < start ? 'upcoming' : 'in_progress',
    today,
    dataDates,
    dataDays,
    daysElapsed,
    daysRemaining,
    projectedDataDays,
    projectedBand: projectedDataDays === null ? null : projectedBandOf(projectedDataDays),
    codeMet: deviceSupplyCodeFor(dataDays),
    codeReachable: deviceSupplyCodeFor(dataDays + daysRemaining),
    ad03: ad03Verdict(dataDays, daysRemaining),
  };
}
