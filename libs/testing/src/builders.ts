import { randomUUID } from 'node:crypto';
import { CANONICAL_DEVICE_UNIT } from '@rpm/contracts';
import type {
  AlertRaisedV1,
  DeviceBindingV1,
  DeviceKind,
  DeviceReading,
  ObservationV1,
  PatientProtocolV1,
  Program,
  Spo2Scale,
} from '@rpm/contracts';
import { normalizeReading, toObservation } from '@rpm/vitals';

/** Builders over hand-built objects (STYLE.md): every field has a sensible default. */


type WithOptionalUnit<R> = R extends { unit: unknown } ? Omit<R, 'unit'> & Partial<Pick<R, 'unit'>> : R;
export type ReadingInput = WithOptionalUnit<DeviceReading>;

/** aReading({ type: 'spo2', value: 88 }): the device's unit defaults to the canonical one. */
export function aReading(input: ReadingInput): DeviceReading {
  const unit = (CANONICAL_DEVICE_UNIT as Readonly<Record<string, string>>)[input.type];
  return (unit === undefined ? input : { unit, ...input }) as DeviceReading;
}

/** RFC 3339 with an explicit offset, as devices send it. */
export function deviceTimestamp(at: Date): string {
  return at.toISOString().replace('Z', '+00:00');
}

/** A device message as it goes over MQTT (JSON text). */
export function aDeviceMessage({
  readings = [aReading({ type: 'heart_rate', value: 72 })],
  measuredAt = new Date(),
  messageId = randomUUID(),
}: { readings?: unknown[]; measuredAt?: Date | string; messageId?: string } = {}): string {
  return JSON.stringify({ messageId, measuredAt: typeof measuredAt === 'string' ? measuredAt : deviceTimestamp(measuredAt), readings });
}

/** An rpm.observations.v1 record as the ingest gateway writes it (normalised by @rpm/vitals). */
export function anObservation({
  patientId = randomUUID(),
  reading = aReading({ type: 'heart_rate', value: 72 }),
  deviceId = 'int-device',
  messageId = randomUUID(),
  measuredAt = new Date(Date.now() - 60_000),
  receivedAt = new Date(),
}: {
  patientId?: string;
  reading?: DeviceReading;
  deviceId?: string;
  messageId?: string;
  measuredAt?: Date;
  receivedAt?: Date;
} = {}): ObservationV1 {
  const normalized = normalizeReading(reading);
  if (!normalized.ok) throw new Error(`anObservation: ${normalized.detail}`);
  return toObservation(normalized, { patientId, deviceId, messageId, measuredAt, measuredAtOffset: '+00:00', receivedAt });
}

export function aPatientProtocol({
  patientId = randomUUID(),
  programs = [],
  spo2Scale = programs.includes('copd') ? 2 : 1,
  version = 1,
}: { patientId?: string; programs?: Program[]; spo2Scale?: Spo2Scale; version?: number } = {}): PatientProtocolV1 {
  return {
    schema: 'rpm.patient-protocol.v1',
    patientId,
    programs,
    spo2Scale,
    timezone: 'America/New_York',
    version,
    updatedAt: new Date().toISOString(),
    overrides: [],
  };
}

export function aDeviceBinding({
  deviceId,
  patientId = randomUUID(),
  kind = 'bp_cuff',
}: {
  deviceId: string;
  patientId?: string;
  kind?: DeviceKind;
}): DeviceBindingV1 {
  return { schema: 'rpm.device-binding.v1', deviceId, patientId, kind, boundAt: new Date().toISOString() };
}

/** An rpm.alerts.v1 record as the rules engine writes it (a heart-rate breach by default). */
export function anAlertRaised(overrides: Partial<AlertRaisedV1> & { patientId: string }): AlertRaisedV1 {
  const measuredAt = overrides.measuredAt ?? new Date(Date.now() - 60_000).toISOString();
  return {
    schema: 'rpm.alert-raised.v1',
    alertKey: randomUUID(),
    ruleId: 'HR-02',
    ruleSource: '[BEAT-HF] [TELBIL]',
    severity: 'medium',
    kind: 'alert',
    summary: 'Heart rate 118 /min > 110 (HR-02 tachycardia or bradycardia)',
    threshold: 'heart rate > 110 /min or < 50 /min',
    retrospective: false,
    measuredAt,
    evaluatedAt: new Date().toISOString(),
    observations: [{ observationId: `int-device/${randomUUID()}/heart_rate`, code: '8867-4', value: 118, unit: '/min', measuredAt }],
    ...overrides,
  };
}
