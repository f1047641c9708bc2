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

/**
 * Zone offsets per (zone, UTC quarter hour): every zone's offsets and transitions fall on
 * quarter hours (Lord Howe switches at 15:30 UTC), and formatToParts is slow.
 */
const QUARTER_HOUR_MS = 900_000;
const OFFSETS = new Map<string, number>();
const MAX_CACHED_OFFSETS = 100_000;

/** Offset of `timeZone` from UTC (ms) during the UTC quarter hour that holds `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const hourStart = Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const key = `${timeZone}|${hourStart}`;
  let offset = OFFSETS.get(key);
  if (offset === undefined) {
    const parts: Record<string, string> = {};
    for (const p of formatterFor(timeZone).formatToParts(hourStart)) parts[p.type] = p.value;
    const wall = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']) % 24, Number(parts['minute']));
    offset = wall - hourStart;
    if (OFFSETS.size >= MAX_CACHED_OFFSETS) OFFSETS.clear();
    OFFSETS.set(key, offset);
  }
  return offset;
}

/** The local date and time of an instant (ISO string or epoch ms) in `timeZone`. */
export function localTimeOf(instant: string | number, timeZone: string): LocalTime {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid instant: ${String(instant)}`);
  const local = new Date(ms + offsetAt(ms, timeZone));
  return {
    date: local.toISOString().slice(0, 10),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

const DAY_MS = 86_400_000;

/** Day arithmetic runs per reading on a handful of dates: memoised, bounded. */
const MIDNIGHTS = new Map<string, number>();
const SHIFTED = new Map<string, string>();
const MAX_MEMO = 50_000;

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
  const key = `${date}|${days}`;
  let shifted = SHIFTED.get(key);
  if (shifted === undefined) {
    shifted = new Date(utcMidnightOf(date) + days * DAY_MS).toISOString().slice(0, 10);
    if (SHIFTED.size >= MAX_MEMO) SHIFTED.clear();
    SHIFTED.set(key, shifted);
  }
  return shifted;
}

/** Whole calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnightOf(to) - utcMidnightOf(from)) / DAY_MS);
}
