import { localTimeOf, utcMidnightOf } from '../trends/local-day';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Every zone's offset lies within UTC−12 … UTC+14; one hour more each side covers any transition. */
const EARLIEST_OFFSET_MS = -13 * HOUR_MS;
const LATEST_OFFSET_MS = 15 * HOUR_MS;

/** Minutes of the local wall clock past UTC at `ms` (the zone's offset then). */
function offsetAt(ms: number, timeZone: string): number {
  const local = localTimeOf(ms, timeZone);
  const wall = utcMidnightOf(local.date) + local.hour * HOUR_MS + local.minute * MINUTE_MS;
  return wall - Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/**
 * The first instant (epoch ms) of a local calendar date in `timeZone`: local midnight, or, where a
 * DST change skips midnight (Santiago, Havana, Beirut spring forward at 00:00), the first minute
 * that exists on that date. A 23- or 25-hour day still starts at its own local midnight.
 */
export function startOfLocalDay(date: string, timeZone: string): number {
  const wallMidnight = utcMidnightOf(date);
  // The offset in force at midnight, found in two steps (the first guess may sit across a change).
  let guess = wallMidnight - offsetAt(wallMidnight, timeZone);
  guess = wallMidnight - offsetAt(guess, timeZone);
  const at = localTimeOf(guess, timeZone);
  if (at.date === date && at.hour === 0 && at.minute === 0) {
    // A fall-back change at midnight repeats it: the day starts at the earlier of the two.
    const hourEarlier = guess - HOUR_MS;
    const earlier = localTimeOf(hourEarlier, timeZone);
    return earlier.date === date && earlier.hour === 0 && earlier.minute === 0 ? hourEarlier : guess;
  }
  // Midnight does not exist on this date: the first minute whose local date is `date`.
  let low = wallMidnight - LATEST_OFFSET_MS;
  let high = wallMidnight - EARLIEST_OFFSET_MS;
  while (high - low > MINUTE_MS) {
    const middle = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
    if (localTimeOf(middle, timeZone).date >= date) high = middle;
    else low = middle;
  }
  return high;
}
