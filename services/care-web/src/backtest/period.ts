/**
 * Periods picked with date inputs ("2025-06-01", the browser's local day), sent as instants: from
 * the start of the first day to the end of the last one, never past now (the API refuses nothing
 * in the future, but there is nothing there to count).
 */

const DAY_MS = 86_400_000;
/** What a backtest and the burden report cover unless the lead picks otherwise (the API's default too). */
export const DEFAULT_PERIOD_DAYS = 30;

/** "2025-06-01" for the local day of `ms`. */
export function dateInputValue(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Local midnight at the start of "2025-06-01"; null for anything else. */
export function startOfDate(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = new Date(year, month - 1, day).getTime();
  return dateInputValue(ms) === value ? ms : null; // 2025-02-30 is no day
}

export interface DateRange {
  readonly from: string;
  readonly to: string;
}

/** The last `days` days up to today, as date-input values. */
export function defaultDates(now: number, days = DEFAULT_PERIOD_DAYS): DateRange {
  return { from: dateInputValue(now - days * DAY_MS), to: dateInputValue(now) };
}

/** The instants the API takes for two date-input values, or why they make no period. */
export function rangeOfDates(dates: DateRange, now: number): { readonly from: string; readonly to: string } | { readonly error: string } {
  const from = startOfDate(dates.from);
  const toDay = startOfDate(dates.to);
  if (from === null) return { error: 'Enter the first day of the period.' };
  if (toDay === null) return { error: 'Enter the last day of the period.' };
  // The end of the last day: the next local midnight (a DST day is 23 or 25 hours).
  const endOfDay = new Date(new Date(toDay).setDate(new Date(toDay).getDate() + 1)).getTime();
  const to = Math.min(endOfDay, now);
  if (from >= to) return { error: from > now ? 'The period starts in the future.' : 'The first day must not be after the last day.' };
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}
