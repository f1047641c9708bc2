/**
 * Wall-clock arithmetic in IANA time zones using Intl only (no tz database of our own),
 * so DST transitions come from the runtime's ICU data and stay correct.
 */

export interface LocalDate {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

interface WallClock extends LocalDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function wallClock(zone: string, epochMs: number): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts['year'] ?? 0,
    month: parts['month'] ?? 0,
    day: parts['day'] ?? 0,
    hour: parts['hour'] ?? 0,
    minute: parts['minute'] ?? 0,
    second: parts['second'] ?? 0,
  };
}

/** Offset of the zone from UTC at that instant, in whole minutes (e.g. -240, +330). */
export function zoneOffsetMinutes(zone: string, epochMs: number): number {
  const w = wallClock(zone, epochMs);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const truncated = Math.floor(epochMs / 1000) * 1000;
  return Math.round((asUtc - truncated) / MINUTE_MS);
}

export function localDateOf(zone: string, epochMs: number): LocalDate {
  const { year, month, day } = wallClock(zone, epochMs);
  return { year, month, day };
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function formatLocalDate(date: LocalDate): string {
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

/**
 * The instant when the wall clock in `zone` shows `minuteOfDay` on `date`. Like Temporal's
 * "compatible" disambiguation: an ambiguous time (fall-back overlap) resolves to the first
 * occurrence, a skipped one (spring-forward gap) moves forward by the gap's length.
 */
export function localTimeToEpoch(zone: string, date: LocalDate, minuteOfDay: number): number {
  const naive = Date.UTC(date.year, date.month - 1, date.day) + minuteOfDay * MINUTE_MS;
  // No zone changes its offset twice within a day, so the offsets 12 h either side cover both cases.
  const before = naive - zoneOffsetMinutes(zone, naive - 12 * HOUR_MS) * MINUTE_MS;
  const after = naive - zoneOffsetMinutes(zone, naive + 12 * HOUR_MS) * MINUTE_MS;
  const matches = [before, after].filter((t) => wallMinuteUtc(zone, t) === naive).sort((a, b) => a - b);
  return matches[0] ?? before;
}

function wallMinuteUtc(zone: string, epochMs: number): number {
  const w = wallClock(zone, epochMs);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
}

/** Local midnight that starts `date` in `zone`. */
export function startOfLocalDay(zone: string, date: LocalDate): number {
  return localTimeToEpoch(zone, date, 0);
}

/** RFC 3339 with the zone's offset at that instant, second precision (e.g. 2025-03-09T07:05:00-04:00). */
export function formatRfc3339InZone(epochMs: number, zone: string): string {
  const whole = Math.floor(epochMs / 1000) * 1000; // truncating never moves a time into the future
  const offset = zoneOffsetMinutes(zone, whole);
  const shifted = new Date(whole + offset * MINUTE_MS).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${shifted}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** RFC 3339 in UTC with a Z designator, second precision: how a UTC-only device clock reports. */
export function formatRfc3339Utc(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().slice(0, 19) + 'Z';
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
