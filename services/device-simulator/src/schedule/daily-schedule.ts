import type { SimDevice, SimDeviceKind } from '../fleet/fleet-model';
import type { GlucoseSlot } from '../physiology/vitals-model';
import { forkRng, type Rng } from '../random/rng';
import { formatLocalDate, localTimeToEpoch, type LocalDate } from './local-time';

/** One reading a patient takes: which device, when, and which sitting it belongs to. */
export interface ScheduledReading {
  readonly deviceKey: string;
  readonly kind: SimDeviceKind;
  readonly measuredAtMs: number;
  /** Stable id of the sitting (device key + local date + slot): seeds the noise shared by its readings. */
  readonly sessionId: string;
  /** 0 for the first reading of a sitting, 1 for the repeat a few minutes later, ... */
  readonly readingIndex: number;
  readonly glucoseSlot: GlucoseSlot | null;
}

interface Session {
  readonly slot: string;
  /** Usual local time, minutes after midnight. */
  readonly minute: number;
  /** How far a given day's sitting may stray from the usual time, minutes either side. */
  readonly jitterMin: number;
}

const at = (h: number, m = 0): number => h * 60 + m;

/**
 * Home-monitoring routines: BP morning and evening (HC-HBPM), weight once before breakfast
 * (HF-HW), oximetry twice a day, temperature daily, glucose around meals.
 */
const SESSIONS: Record<Exclude<SimDeviceKind, 'glucometer'>, readonly Session[]> = {
  bp_cuff: [
    { slot: 'morning', minute: at(7, 10), jitterMin: 40 },
    { slot: 'evening', minute: at(20, 30), jitterMin: 60 },
  ],
  scale: [{ slot: 'morning', minute: at(6, 50), jitterMin: 35 }],
  pulse_oximeter: [
    { slot: 'morning', minute: at(9), jitterMin: 50 },
    { slot: 'evening', minute: at(19), jitterMin: 60 },
  ],
  // The COPD hub counts breaths during the oximetry sittings.
  hub: [
    { slot: 'morning', minute: at(9, 3), jitterMin: 50 },
    { slot: 'evening', minute: at(19, 3), jitterMin: 60 },
  ],
  thermometer: [{ slot: 'morning', minute: at(8, 15), jitterMin: 60 }],
};

const GLUCOSE_SESSIONS: Record<GlucoseSlot, Session> = {
  fasting: { slot: 'fasting', minute: at(7), jitterMin: 30 },
  pre_lunch: { slot: 'pre_lunch', minute: at(12, 10), jitterMin: 40 },
  post_dinner: { slot: 'post_dinner', minute: at(20), jitterMin: 40 },
  bedtime: { slot: 'bedtime', minute: at(22, 15), jitterMin: 30 },
};

/** A sitting that is on the schedule but forgotten that day. */
const MISSED_SESSION_RATE = 0.06;
/** Share of BP sittings with a repeat reading, and of those with a third one. */
const BP_REPEAT_RATE = 0.6;
const BP_THIRD_RATE = 0.15;

export interface ScheduleInput {
  readonly seed: number;
  readonly timezone: string;
  readonly device: SimDevice;
  readonly date: LocalDate;
  readonly chronotypeShiftMin: number;
  readonly skipDayRate: number;
}

/** The readings one device takes on one local day, in time order. Pure: same input, same day. */
export function scheduleDeviceDay(input: ScheduleInput): ScheduledReading[] {
  const { device, date } = input;
  const dateLabel = formatLocalDate(date);
  const rng = forkRng(input.seed, 'schedule', device.key, dateLabel);
  if (rng.chance(input.skipDayRate)) return [];

  const out: ScheduledReading[] = [];
  for (const { session, glucoseSlot } of sessionsFor(device.kind, rng)) {
    if (rng.chance(MISSED_SESSION_RATE)) continue;
    const jitter = Math.max(-1, Math.min(1, rng.normal(0, 0.5))) * session.jitterMin;
    const minute = clampMinute(session.minute + input.chronotypeShiftMin + jitter);
    const start = localTimeToEpoch(input.timezone, date, Math.floor(minute)) + rng.int(0, 59) * 1000;
    const sessionId = `${device.key}/${dateLabel}/${session.slot}`;
    let measuredAtMs = start;
    const count = repeatsFor(device.kind, rng);
    for (let readingIndex = 0; readingIndex < count; readingIndex++) {
      if (readingIndex > 0) measuredAtMs += rng.int(120, 360) * 1000; // repeats 2-6 min apart
      out.push({ deviceKey: device.key, kind: device.kind, measuredAtMs, sessionId, readingIndex, glucoseSlot });
    }
  }
  return out.sort((a, b) => a.measuredAtMs - b.measuredAtMs);
}

function sessionsFor(kind: SimDeviceKind, rng: Rng): { session: Session; glucoseSlot: GlucoseSlot | null }[] {
  if (kind !== 'glucometer') return SESSIONS[kind].map((session) => ({ session, glucoseSlot: null }));
  // Fasting every day, plus one to three more checks around meals: 2-4 a day.
  const extra: GlucoseSlot[] = ['pre_lunch', 'post_dinner', 'bedtime'];
  const wanted = rng.int(1, 3);
  while (extra.length > wanted) extra.splice(rng.int(0, extra.length - 1), 1);
  return (['fasting', ...extra] as GlucoseSlot[]).map((slot) => ({ session: GLUCOSE_SESSIONS[slot], glucoseSlot: slot }));
}

function repeatsFor(kind: SimDeviceKind, rng: Rng): number {
  if (kind !== 'bp_cuff' || !rng.chance(BP_REPEAT_RATE)) return 1;
  return rng.chance(BP_THIRD_RATE) ? 3 : 2;
}

/** Stays inside the local day (00:00-23:44) so a repeat a few minutes later cannot spill over. */
function clampMinute(minute: number): number {
  return Math.max(0, Math.min(at(23, 44), minute));
}
