import type { DeviceReading, ObservationV1 } from '@rpm/contracts';
import { aReading, anObservation } from '@rpm/testing';

/**
 * The device message both ceilings are sized on, the one npm run bench sends (payload.ts): a BP
 * cuff's pressure panel and pulse, normalised by @rpm/vitals exactly as the ingest gateway does.
 * It yields 2 rpm.observation.v1 records but 3 stored rows (one row per component; the panel has two).
 */
export const SAMPLE_READINGS: readonly DeviceReading[] = [
  aReading({ type: 'blood_pressure', systolic: 128, diastolic: 82 }),
  aReading({ type: 'heart_rate', value: 72 }),
];

export interface SampleMessageShape {
  /** Kafka records per device message (one per reading). */
  readonly recordsPerMessage: number;
  /** Rows of `observations` per device message (one per component). */
  readonly rowsPerMessage: number;
  /** Mean JSON size of one record's value, bytes (the key, a patient id, is not counted). */
  readonly recordBytes: number;
}

/**
 * The observation records of a message of the `device`-th device (one device per patient), ids
 * shaped like the simulator's: a fleet of a few hundred patients revisits the same index keys.
 */
export function sampleObservations(device: number, measuredAt: Date, readings: readonly DeviceReading[] = SAMPLE_READINGS): ObservationV1[] {
  const deviceId = `sim-bench000-p${String(device).padStart(5, '0')}-bp`;
  const messageId = `${deviceId}.${measuredAt.getTime().toString(36)}`;
  const patientId = `00000000-0000-4000-8000-${device.toString(16).padStart(12, '0')}`;
  return readings.map((reading) => anObservation({ patientId, reading, deviceId, messageId, measuredAt, receivedAt: new Date(measuredAt.getTime() + 1_500) }));
}

export function sampleMessageShape(readings: readonly DeviceReading[] = SAMPLE_READINGS): SampleMessageShape {
  const records = sampleObservations(1, new Date(), readings);
  const bytes = records.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0);
  return {
    recordsPerMessage: records.length,
    rowsPerMessage: records.reduce((sum, r) => sum + r.components.length, 0),
    recordBytes: Math.round(bytes / records.length),
  };
}

/** The columns `observations` gets from the writer (stored_at keeps its default, as in the writer). */
export const OBSERVATION_COLUMNS = [
  'patient_id', 'device_id', 'message_id', 'code', 'panel_code', 'value', 'unit',
  'original_value', 'original_unit', 'measured_at', 'measured_at_offset', 'received_at',
] as const;

/** Rows of one message in COPY text format (tab separated; no field holds a tab, newline or backslash). */
export function observationCopyLines(records: readonly ObservationV1[]): string {
  let text = '';
  for (const o of records) {
    for (const c of o.components) {
      text += `${o.patientId}\t${o.deviceId}\t${o.messageId}\t${c.code}\t${o.code}\t${c.value}\t${c.unit}\t${c.originalValue}\t${c.originalUnit}\t${o.measuredAt}\t${o.measuredAtOffset}\t${o.receivedAt}\n`;
    }
  }
  return text;
}
