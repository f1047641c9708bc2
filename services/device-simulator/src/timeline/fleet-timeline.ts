import type { QuirkRates, SimPatient } from '../fleet/fleet-model';
import { buildMessage, errorFrameMessage } from '../messages/message-builder';
import type { PublishEvent } from '../quirks/publish-event';
import { publishesFor } from '../quirks/transport-quirks';
import { forkRng } from '../random/rng';
import { scheduleDeviceDay } from '../schedule/daily-schedule';
import { addDays, localDateOf, startOfLocalDay, type LocalDate } from '../schedule/local-time';

export interface TimelineContext {
  readonly seed: number;
  readonly rates: QuirkRates;
  /** Readings measured before this instant are not simulated (the history starts here). */
  readonly windowStartMs: number;
}

/** Everything one patient's devices publish because of one local day: schedule -> readings -> quirks. */
export function publishesForPatientDay(patient: SimPatient, date: LocalDate, ctx: TimelineContext): PublishEvent[] {
  const events: PublishEvent[] = [];
  for (const device of patient.devices) {
    const readings = scheduleDeviceDay({
      seed: ctx.seed,
      timezone: patient.timezone,
      device,
      date,
      chronotypeShiftMin: patient.chronotypeShiftMin,
      skipDayRate: ctx.rates.skipDay,
    });
    for (const reading of readings) {
      if (reading.measuredAtMs < ctx.windowStartMs) continue;
      events.push(
        ...publishesFor({
          deviceId: device.deviceId,
          kind: device.kind,
          measuredAtMs: reading.measuredAtMs,
          message: buildMessage(patient, device, reading, ctx.seed),
          firstOfSession: reading.readingIndex === 0,
          errorFrame: (atMs) => errorFrameMessage(patient, device, atMs),
          rates: ctx.rates,
          rng: forkRng(ctx.seed, 'quirks', device.key, reading.measuredAtMs),
        }),
      );
    }
  }
  return events;
}

/**
 * Walks each patient's local calendar forward on demand, so a run of any length holds only
 * the next day or two of events in memory. Days start at the patient's own local midnight.
 */
export class FleetTimeline {
  /** Per patient: the next local day to generate and the instant it starts (cached: Intl is slow-ish). */
  private readonly next = new Map<string, { date: LocalDate; startMs: number }>();

  constructor(
    private readonly fleet: readonly SimPatient[],
    private readonly ctx: TimelineContext,
  ) {
    for (const p of fleet) {
      const date = localDateOf(p.timezone, ctx.windowStartMs);
      this.next.set(p.key, { date, startMs: startOfLocalDay(p.timezone, date) });
    }
  }

  /** Publishes of every local day that starts at or before horizonMs and was not generated yet. */
  generateUntil(horizonMs: number): PublishEvent[] {
    const out: PublishEvent[] = [];
    for (const patient of this.fleet) {
      let cursor = this.next.get(patient.key);
      while (cursor && cursor.startMs <= horizonMs) {
        out.push(...publishesForPatientDay(patient, cursor.date, this.ctx));
        const date = addDays(cursor.date, 1);
        cursor = { date, startMs: startOfLocalDay(patient.timezone, date) };
        this.next.set(patient.key, cursor);
      }
    }
    return out;
  }
}

/**
 * All publishes due in [windowStart, untilMs), in publish order (ties keep generation order).
 * Late uploads and resends due after untilMs are still "on the phone" and left out.
 */
export function collectTimeline(fleet: readonly SimPatient[], ctx: TimelineContext, untilMs: number): PublishEvent[] {
  const events = new FleetTimeline(fleet, ctx).generateUntil(untilMs).filter((e) => e.publishAtMs <= untilMs);
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.publishAtMs - b.e.publishAtMs || a.i - b.i)
    .map(({ e }) => e);
}
