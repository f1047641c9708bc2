import { createHash } from 'node:crypto';
import {
  DeadLetterV1,
  DeviceMessageV1,
  DeviceReading,
  DlqReason,
  MAX_DEAD_LETTER_PAYLOAD_BYTES,
  MAX_DEVICE_PAYLOAD_BYTES,
  MAX_FUTURE_SKEW_MS,
  ObservationV1,
  deviceIdFromTopic,
} from '@rpm/contracts';
import type { BindingVerdict } from './binding';
import { normalizeReading, type NormalizedReading } from './normalize';

/** Earlier than this is an unset device clock (RPM devices did not exist), not a late reading. */
export const EARLIEST_PLAUSIBLE_MEASUREMENT_MS = Date.UTC(2000, 0, 1);

export interface DeviceMessage {
  readonly mqttTopic: string;
  readonly payload: Buffer;
  readonly receivedAt: Date;
}

/** What the device said about itself (contract v1.1) and its clock, whenever its envelope could be read. */
export interface HeardFromDevice {
  readonly measuredAt: Date;
  readonly batteryPercent: number | null;
  readonly signalDbm: number | null;
  readonly firmware: string | null;
}

export interface IngestOutcome {
  readonly deviceId: string | null;
  readonly observations: ObservationV1[];
  readonly deadLetters: DeadLetterV1[];
  /** null when the message could not be read as an envelope (not JSON, wrong shape, too large). */
  readonly heard: HeardFromDevice | null;
}

/** Whose a device's reading measured at that instant is (see `bindingAt`). */
export type BindingLookup = (deviceId: string, measuredAt: Date) => BindingVerdict;

/** "2026-11-27T07:58:12-05:00" -> "-05:00"; "...Z" -> "+00:00". */
function offsetOf(rfc3339: string): string {
  const match = /([+-]\d{2}:\d{2}|[Zz])$/.exec(rfc3339);
  return !match || match[1] === 'Z' || match[1] === 'z' ? '+00:00' : (match[1] ?? '+00:00');
}

function describeIssues(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

export interface ObservationOrigin {
  readonly patientId: string;
  readonly deviceId: string;
  readonly messageId: string;
  readonly measuredAt: Date;
  readonly measuredAtOffset: string;
  readonly receivedAt: Date;
}

/**
 * The rpm.observations.v1 record of a normalised reading. Its id is the natural key
 * (device, message, type): a resend of the message yields the same id.
 */
export function toObservation(reading: Extract<NormalizedReading, { ok: true }>, origin: ObservationOrigin): ObservationV1 {
  return {
    schema: 'rpm.observation.v1',
    observationId: `${origin.deviceId}/${origin.messageId}/${reading.type}`,
    patientId: origin.patientId,
    deviceId: origin.deviceId,
    messageId: origin.messageId,
    type: reading.type,
    code: reading.code,
    measuredAt: origin.measuredAt.toISOString(),
    measuredAtOffset: origin.measuredAtOffset,
    receivedAt: origin.receivedAt.toISOString(),
    components: reading.components,
  };
}

/** The dead letter of a message, or of one reading of it (`readingIndex`), with its raw bytes for replay. */
export function deadLetterOf(
  message: DeviceMessage,
  reason: DlqReason,
  detail: string,
  messageId: string | null = null,
  readingIndex: number | null = null,
): DeadLetterV1 {
  return {
    schema: 'rpm.ingest-dlq.v1',
    reason,
    detail,
    deviceId: deviceIdFromTopic(message.mqttTopic),
    mqttTopic: message.mqttTopic,
    messageId,
    readingIndex,
    receivedAt: message.receivedAt.toISOString(),
    rawPayloadBase64: message.payload.subarray(0, MAX_DEAD_LETTER_PAYLOAD_BYTES).toString('base64'),
    rawPayloadBytes: message.payload.length,
    rawPayloadSha256: createHash('sha256').update(message.payload).digest('hex'),
  };
}

/**
 * Turns one MQTT message into normalised observations and dead letters. Pure: the caller
 * supplies the clock and the device->patient table. Every input byte ends up in exactly
 * one of the two lists; a bad reading is dead-lettered alone while its siblings go on.
 */
export function ingestDeviceMessage(message: DeviceMessage, bindingOf: BindingLookup): IngestOutcome {
  const deviceId = deviceIdFromTopic(message.mqttTopic);
  const reject = (reason: DlqReason, detail: string, messageId: string | null = null, readingIndex: number | null = null): DeadLetterV1 =>
    deadLetterOf(message, reason, detail, messageId, readingIndex);
  let heard: HeardFromDevice | null = null;
  const rejectAll = (...args: Parameters<typeof reject>): IngestOutcome => ({
    deviceId,
    observations: [],
    deadLetters: [reject(...args)],
    heard,
  });

  if (deviceId === null) return rejectAll('schema', 'topic is not rpm/devices/{deviceId}/readings');
  if (message.payload.length > MAX_DEVICE_PAYLOAD_BYTES) {
    return rejectAll('too_large', `payload of ${message.payload.length} bytes exceeds ${MAX_DEVICE_PAYLOAD_BYTES}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(message.payload.toString('utf8'));
  } catch {
    return rejectAll('invalid_json', 'payload is not JSON');
  }
  const envelope = DeviceMessageV1.safeParse(json);
  if (!envelope.success) return rejectAll('schema', describeIssues(envelope.error));
  const { messageId, measuredAt, readings, device } = envelope.data;
  heard = {
    measuredAt: new Date(Date.parse(measuredAt)),
    batteryPercent: device?.batteryPercent ?? null,
    signalDbm: device?.signalDbm ?? null,
    firmware: device?.firmware ?? null,
  };

  const measuredAtMs = Date.parse(measuredAt);
  const binding = bindingOf(deviceId, new Date(measuredAtMs));
  if (binding.kind === 'unbound') return rejectAll('unbound_device', 'device is bound to no patient', messageId);

  if (measuredAtMs - message.receivedAt.getTime() > MAX_FUTURE_SKEW_MS) {
    return rejectAll('clock_skew', 'measuredAt is more than 10 minutes in the future', messageId);
  }
  if (measuredAtMs < EARLIEST_PLAUSIBLE_MEASUREMENT_MS) {
    return rejectAll('clock_skew', 'measuredAt is before 2000-01-01: a device clock that was never set', messageId);
  }
  // After the clock checks: a clock reset to 1970 is a clock problem, not a binding one.
  if (binding.kind === 'outside_binding') {
    return rejectAll('outside_binding', 'measured outside every binding of the device: quarantined until a binding holds it', messageId);
  }
  const patientId = binding.patientId;

  const observations: ObservationV1[] = [];
  const deadLetters: DeadLetterV1[] = [];
  const seenTypes = new Set<string>();
  readings.forEach((raw, index) => {
    const parsed = DeviceReading.safeParse(raw);
    if (!parsed.success) {
      deadLetters.push(reject('schema', `readings.${index}: ${describeIssues(parsed.error)}`, messageId, index));
      return;
    }
    if (seenTypes.has(parsed.data.type)) {
      // The natural key is (deviceId, messageId, code): a second reading of a type would collide.
      deadLetters.push(reject('schema', `readings.${index}: second ${parsed.data.type} in one message`, messageId, index));
      return;
    }
    seenTypes.add(parsed.data.type);
    const normalized = normalizeReading(parsed.data);
    if (!normalized.ok) {
      deadLetters.push(reject('implausible', `readings.${index}: ${normalized.detail}`, messageId, index));
      return;
    }
    observations.push(
      toObservation(normalized, {
        patientId,
        deviceId,
        messageId,
        measuredAt: new Date(measuredAtMs),
        measuredAtOffset: offsetOf(measuredAt),
        receivedAt: message.receivedAt,
      }),
    );
  });
  return { deviceId, observations, deadLetters, heard };
}
