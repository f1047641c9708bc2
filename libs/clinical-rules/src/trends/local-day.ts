/**
 * Local calendar days in a patient's IANA time zone (CLINICAL.md 2.1 "Time base"). Days are
 * "YYYY-MM-DD" strings; day arithmetic runs on the calendar (UTC dates), never on 24-hour
 * steps of wall-clock time, so a 23- or 25-hour DST day is still one day.
 */

export interface LocalTime {
  /** Local calendar date, "YYYY-MM-DD". */
  readonly date: string;
  /** Local hour 0–23 (h23, so midnight is 0, never 24). */
  readonly hour: number;
  readonly minute: number;
}

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

/** Throws RangeError for an unknown time zone: a misconfigured patient is a bug, not a default. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = FORMATTERS.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    FORMATTERS.set(timeZone, formatter);
  }
  return formatter;
}

/** The local date and time of an instant (ISO string or epoch ms) in `timeZone`. */
export function localTimeOf(instant: string | number, timeZone: string): LocalTime {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid instant: ${String(instant)}`);
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(ms)) parts[p.type] = p.value;
  return {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    hour: Number(parts['hour']) % 24,
    minute: Number(parts['minute']),
  };
}

const DAY_MS = 86_400_000;

/** Epoch ms of the date's UTC midnight: a fixed, zone-free reference for one calendar day. */
export function utcMidnightOf(date: string): number {
  const ms = Date.parse(`${date}T00:00:00.000Z`);
  if (!Number.isFinite(ms)) throw new RangeError(`not a calendar date: ${date}`);
  return ms;
}

/** The calendar date `days` after (or before, when negative) `date`. */
export function addDays(date: string, days: number): string {
  return new Date(utcMidnightOf(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnightOf(to) - utcMidnightOf(from)) / DAY_MS);
}
