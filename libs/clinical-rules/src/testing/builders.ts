import { CANONICAL_DEVICE_UNIT, DeviceReading, ObservationV1, type AcvpuLevel, type MeasuredReadingType, type Program, type Spo2Scale } from '@rpm/contracts';
import { normalizeReading, toObservation } from '@rpm/vitals';
import { evaluateReading, type PatientContext } from '../evaluate-threshold';
import type { RuleDefinition } from '../rule-definition';

/** Test builders. Not exported from index.ts: specs import this file by relative path. */

export const PATIENT_ID = '3f2b8c1e-5d4a-4e6b-9c7d-1a2b3c4d5e6f';
export const MEASURED_AT = '2026-03-02T08:15:00.000Z';
export const EVALUATED_AT = new Date('2026-03-02T08:15:05.000Z');


type ReadingSpec =
  | { type: 'blood_pressure'; systolic: number; diastolic: number; unit?: string }
  | { type: Exclude<MeasuredReadingType, 'blood_pressure'>; value: number; unit?: string }
  | { type: 'consciousness'; value: AcvpuLevel }
  | { type: 'supplemental_oxygen'; value: boolean; flow?: number };

export type ObservationSpec = ReadingSpec & {
  patientId?: string;
  deviceId?: string;
  messageId?: string;
  measuredAt?: string;
  /** Defaults to 5 s after measuredAt. */
  receivedAt?: string;
};

/**
 * A normalised observation built the way ingest builds it: through the vitals lib's
 * normalizeReading, so unit conversion (kPa, lb, mmol/L, degF) is exercised end to end.
 * Throws when the reading is schema-invalid or implausible: that is a broken test.
 */
export function anObservation(spec: ObservationSpec): ObservationV1 {
  const { patientId = PATIENT_ID, deviceId = 'dev-0001', messageId = 'msg-0001', measuredAt = MEASURED_AT } = spec;
  const receivedAt = spec.receivedAt ?? new Date(Date.parse(measuredAt) + 5_000).toISOString();
  const reading = DeviceReading.parse('unit' in spec || spec.type === 'consciousness' || spec.type === 'supplemental_oxygen' ? spec : { ...spec, unit: CANONICAL_DEVICE_UNIT[spec.type] });
  const normalized = normalizeReading(reading);
  if (!normalized.ok) throw new Error(`anObservation: ${normalized.detail}`);
  return ObservationV1.parse(
    toObservation(normalized, {
      patientId,
      deviceId,
      messageId,
      measuredAt: new Date(measuredAt),
      measuredAtOffset: '+00:00',
      receivedAt: new Date(receivedAt),
    }),
  );
}

export function aPatient(overrides: { programs?: Program[]; spo2Scale?: Spo2Scale; patientId?: string } = {}): PatientContext {
  return { patientId: PATIENT_ID, programs: [], spo2Scale: 1, ...overrides };
}

/** `hours` after MEASURED_AT, as an ISO string. */
export function hoursAfterMeasurement(hours: number): string {
  return new Date(Date.parse(MEASURED_AT) + hours * 3_600_000).toISOString();
}

/** [ruleId, kind, severity] of every firing: compact enough for a test table. */
export type Fired = [ruleId: string, kind: 'alert' | 'recheck', severity: 'high' | 'medium' | 'low'];

export function firedOn(observation: ObservationV1, patient: PatientContext = aPatient(), rules?: readonly RuleDefinition[]): Fired[] {
  return evaluateReading(observation, patient, EVALUATED_AT, rules).map((f) => [f.ruleId, f.kind, f.severity]);
}
