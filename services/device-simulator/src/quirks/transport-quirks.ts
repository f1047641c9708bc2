import type { QuirkRates } from '../fleet/fleet-model';
import type { DeviceMessage } from '../messages/message-builder';
import type { Rng } from '../random/rng';
import type { SimDeviceKind } from '../fleet/fleet-model';
import type { PublishEvent } from './publish-event';

const SECOND_MS = 1000;
const HOUR_MS = 3_600_000;
/** Resends: 1 s to 3 h later (CLINICAL.md 7.2: uploaders re-sending stored data). */
const RESEND_MIN_MS = 1 * SECOND_MS;
const RESEND_MAX_MS = 3 * HOUR_MS;
/** Batch uploads after a Bluetooth sync: 6-72 h late (CLINICAL.md 7.2 checklist). */
const LATE_MIN_MS = 6 * HOUR_MS;
const LATE_MAX_MS = 72 * HOUR_MS;
/** Kinds that store readings and sync later (cuffs and scales keep a memory). */
const BATCHING_KINDS: ReadonlySet<SimDeviceKind> = new Set(['bp_cuff', 'scale']);

export interface QuirkInput {
  readonly deviceId: string;
  readonly kind: SimDeviceKind;
  readonly measuredAtMs: number;
  readonly message: DeviceMessage;
  /** Only the first reading of a cuff sitting can be preceded by a failed attempt. */
  readonly firstOfSession: boolean;
  /** Builds the error frame lazily, only when one is injected. */
  readonly errorFrame: (atMs: number) => DeviceMessage;
  readonly rates: QuirkRates;
  readonly rng: Rng;
}

/**
 * The publishes one reading turns into. The message object itself is never altered: a late
 * upload keeps its original measuredAt and a resend keeps its messageId, exactly what the
 * ingest side must de-duplicate and evaluate on effective time.
 */
export function publishesFor(input: QuirkInput): PublishEvent[] {
  const { rng, rates, deviceId, message, measuredAtMs } = input;
  const events: PublishEvent[] = [];

  if (input.kind === 'bp_cuff' && input.firstOfSession && rng.chance(rates.errorFrame)) {
    // The failed attempt happened 1-2 min before the good one and went out straight away.
    const failedAtMs = measuredAtMs - rng.int(60, 120) * SECOND_MS;
    events.push({ publishAtMs: failedAtMs, deviceId, reason: 'error_frame', message: input.errorFrame(failedAtMs) });
  }

  const late = BATCHING_KINDS.has(input.kind) && rng.chance(rates.lateBatch);
  // On-time publishes leave within a few seconds of the measurement (phone relay latency).
  const firstAt = late ? measuredAtMs + rng.uniform(LATE_MIN_MS, LATE_MAX_MS) : measuredAtMs + rng.int(1, 8) * SECOND_MS;
  events.push({ publishAtMs: Math.round(firstAt), deviceId, reason: late ? 'late_batch' : 'on_time', message });

  if (rng.chance(rates.resend)) {
    events.push({ publishAtMs: Math.round(firstAt + logUniform(rng, RESEND_MIN_MS, RESEND_MAX_MS)), deviceId, reason: 'resend', message });
  }
  return events;
}

/** Log-uniform delay: most resends within seconds to minutes, a tail out to hours. */
function logUniform(rng: Rng, min: number, max: number): number {
  return Math.exp(rng.uniform(Math.log(min), Math.log(max)));
}
