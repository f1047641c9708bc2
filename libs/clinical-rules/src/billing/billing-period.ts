import { addDays, daysBetween, localTimeOf } from '../trends/local-day';
import { startOfLocalDay } from './local-day-start';

/** CLINICAL.md 5.2: CPT 99454 and 99445 count data days "in a 30-day period". */
export const BILLING_PERIOD_DAYS = 30;

/**
 * One 30-day billing period of a patient, in the patient's local calendar. Periods start on the
 * local date of enrolment and follow each other every 30 local days (docs/billing.md): a period is
 * 30 calendar days, not 720 hours, so one that spans a DST change is an hour shorter or longer.
 */
export interface BillingPeriod {
  /** 0 for the period that starts on the enrolment date. */
  readonly index: number;
  /** First local date, "YYYY-MM-DD". */
  readonly firstDate: string;
  /** Last local date (inclusive). */
  readonly lastDate: string;
  /** Local midnight of firstDate, ISO 8601 UTC. */
  readonly start: string;
  /** Local midnight after lastDate (exclusive), ISO 8601 UTC. */
  readonly end: string;
}

/** The local date of enrolment: the first day of the first period. */
export function enrolmentDate(enrolledAt: string | number, timeZone: string): string {
  return localTimeOf(enrolledAt, timeZone).date;
}

/** The period with this index (0 = the enrolment period). */
export function billingPeriodByIndex(enrolledOn: string, timeZone: string, index: number): BillingPeriod {
  const firstDate = addDays(enrolledOn, index * BILLING_PERIOD_DAYS);
  const lastDate = addDays(firstDate, BILLING_PERIOD_DAYS - 1);
  return {
    index,
    firstDate,
    lastDate,
    start: new Date(startOfLocalDay(firstDate, timeZone)).toISOString(),
    end: new Date(startOfLocalDay(addDays(lastDate, 1), timeZone)).toISOString(),
  };
}

/** The period holding a local date; null before enrolment. */
export function billingPeriodOn(enrolledOn: string, timeZone: string, date: string): BillingPeriod | null {
  const offset = daysBetween(enrolledOn, date);
  if (offset < 0) return null;
  return billingPeriodByIndex(enrolledOn, timeZone, Math.floor(offset / BILLING_PERIOD_DAYS));
}

/** The period in progress at an instant, judged by the patient's local date then; null before enrolment. */
export function billingPeriodAt(enrolledOn: string, timeZone: string, instant: string | number): BillingPeriod | null {
  return billingPeriodOn(enrolledOn, timeZone, localTimeOf(instant, timeZone).date);
}

/** Every period with at least one local date in [firstDate, lastDate], oldest first. */
export function billingPeriodsOverlapping(enrolledOn: string, timeZone: string, firstDate: string, lastDate: string): BillingPeriod[] {
  if (lastDate < firstDate || lastDate < enrolledOn) return [];
  const from = Math.max(0, Math.floor(daysBetween(enrolledOn, firstDate) / BILLING_PERIOD_DAYS));
  const to = Math.floor(daysBetween(enrolledOn, lastDate) / BILLING_PERIOD_DAYS);
  const periods: BillingPeriod[] = [];
  for (let index = from; index <= to; index++) periods.push(billingPeriodByIndex(enrolledOn, timeZone, index));
  return periods;
}

/** First and last date of a calendar month "YYYY-MM". */
export function monthDates(month: string): { firstDate: string; lastDate: string } {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  const firstDate = `${month}-01`;
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const lastDate = new Date(Date.UTC(year, monthNumber, 0)).toISOString().slice(0, 10);
  return { firstDate, lastDate };
}
