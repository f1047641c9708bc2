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

const DAY_MS = 86_400_000;
/** Bound of every memo here. */
const MAX_MEMO = 50_000;

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

/**
 * Zone offsets per (zone, UTC quarter hour): every zone's offsets and transitions fall on
 * quarter hours (Lord Howe switches at 15:30 UTC), and formatToParts is slow.
 */
const QUARTER_HOUR_MS = 900_000;
/** zone -> UTC quarter-hour index -> offset (ms). Nested maps: no key string built per reading. */
const OFFSETS = new Map<string, Map<number, number>>();
const MAX_CACHED_OFFSETS = 100_000;

/** Offset of `timeZone` from UTC (ms) during the UTC quarter hour that holds `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const quarter = Math.floor(ms / QUARTER_HOUR_MS);
  let zone = OFFSETS.get(timeZone);
  if (!zone) {
    zone = new Map();
    OFFSETS.set(timeZone, zone);
  }
  let offset = zone.get(quarter);
  if (offset === undefined) {
    const quarterStart = quarter * QUARTER_HOUR_MS;
    const parts: Record<string, string> = {};
    for (const p of formatterFor(timeZone).formatToParts(quarterStart)) parts[p.type] = p.value;
    const wall = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']) % 24, Number(parts['minute']));
    offset = wall - quarterStart;
    if (zone.size >= MAX_CACHED_OFFSETS) zone.clear();
    zone.set(quarter, offset);
  }
  return offset;
}

/** "YYYY-MM-DD" of a UTC day number (days since 1970-01-01), memoised: readings fall on few days. */
const DATE_OF_DAY = new Map<number, string>();
function dateOfDay(day: number): string {
  let date = DATE_OF_DAY.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (DATE_OF_DAY.size >= MAX_MEMO) DATE_OF_DAY.clear();
    DATE_OF_DAY.set(day, date);
  }
  return date;
}

/** The last answer: applying and then evaluating one reading asks for the same instant in a row. */
let last: { instant: string | number; timeZone: string; time: LocalTime } | null = null;

/** The local date and time of an instant (ISO string or epoch ms) in `timeZone`. */
export function localTimeOf(instant: string | number, timeZone: string): LocalTime {
  if (last && last.instant === instant && last.timeZone === timeZone) return last.time;
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid instant: ${String(instant)}`);
  const local = ms + offsetAt(ms, timeZone);
  const day = Math.floor(local / DAY_MS);
  const minuteOfDay = Math.floor((local - day * DAY_MS) / 60_000);
  const time = Object.freeze({ date: dateOfDay(day), hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 });
  last = { instant, timeZone, time };
  return time;
}

/** Day arithmetic runs per reading on a handful of dates: memoised, bounded. */
const MIDNIGHTS = new Map<string, number>();

/** Epoch ms of the date's UTC midnight: a fixed, zone-free reference for one calendar day. */
export function utcMidnightOf(date: string): number {
  let ms = MIDNIGHTS.get(date);
  if (ms === undefined) {
    ms = Date.parse(`${date}T00:00:00.000Z`);
    if (!Number.isFinite(ms)) throw new RangeError(`not a calendar date: ${date}`);
    if (MIDNIGHTS.size >= MAX_MEMO) MIDNIGHTS.clear();
    MIDNIGHTS.set(date, ms);
  }
  return ms;
}

/** The calendar date `days` after (or before, when negative) `date`. */
export function addDays(date: string, days: number): string {
  return dateOfDay(Math.round(utcMidnightOf(date) / DAY_MS) + days);
}

/** Whole calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnightOf(to) - utcMidnightOf(from)) / DAY_MS);
}
