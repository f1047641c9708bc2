import type { MeasureValue, WriteRecordsRequest, _Record } from '@aws-sdk/client-timestream-write';
import type { ObservationComponent, ObservationV1 } from '@rpm/contracts';

/** The WriteRecords quota: at most 100 records per request. */
export const MAX_RECORDS_PER_WRITE = 100;

/**
 * Every record is written as version 1. Timestream accepts a record identical to the one it holds
 * (same dimensions, time, measure name and values) and rejects one with other values unless its
 * version is higher. So a redelivery is a no-op, and the first reading stored wins, as in
 * PostgreSQL; a conflicting one is dead-lettered with the existing version (ADR 0010).
 */
export const RECORD_VERSION = 1;

/** Shared by every record of a request: one multi-measure record per observation, times in ms. */
export const COMMON_ATTRIBUTES: _Record = { MeasureValueType: 'MULTI', TimeUnit: 'MILLISECONDS', Version: RECORD_VERSION };

/**
 * A measure name from a LOINC code: "8480-6" -> "loinc_8480_6". Letters, digits and underscores
 * only, so queries need no quoting.
 */
export function measureBaseName(code: string): string {
  return `loinc_${code.replace(/[^A-Za-z0-9]/g, '_')}`;
}

function componentMeasures(component: ObservationComponent): MeasureValue[] {
  const base = measureBaseName(component.code);
  const measures: MeasureValue[] = [
    { Name: base, Value: String(component.value), Type: 'DOUBLE' },
    { Name: `${base}_unit`, Value: component.unit, Type: 'VARCHAR' },
    { Name: `${base}_original_value`, Value: String(component.originalValue), Type: 'DOUBLE' },
    { Name: `${base}_original_unit`, Value: component.originalUnit, Type: 'VARCHAR' },
  ];
  if (component.valueCode !== undefined) measures.push({ Name: `${base}_value_code`, Value: component.valueCode, Type: 'VARCHAR' });
  return measures;
}

/**
 * One observation (a panel) as one multi-measure record: who and what in the dimensions, the
 * panel's LOINC code as measure name, one measure per component in its canonical unit with what
 * the device sent beside it, and the message id that links the record to PostgreSQL's natural key.
 * The arrival time is left out on purpose: a resend arrives later, and must stay identical.
 */
export function toTimestreamRecord(observation: ObservationV1): _Record {
  return {
    Dimensions: [
      { Name: 'patient_id', Value: observation.patientId },
      { Name: 'device_id', Value: observation.deviceId },
      { Name: 'code', Value: observation.code },
    ],
    MeasureName: observation.code,
    Time: String(Date.parse(observation.measuredAt)),
    MeasureValues: [
      ...observation.components.flatMap(componentMeasures),
      { Name: 'message_id', Value: observation.messageId, Type: 'VARCHAR' },
      { Name: 'measured_at_offset', Value: observation.measuredAtOffset, Type: 'VARCHAR' },
    ],
  };
}

export function toWriteRecordsRequest(database: string, table: string, observations: readonly ObservationV1[]): WriteRecordsRequest {
  return { DatabaseName: database, TableName: table, CommonAttributes: COMMON_ATTRIBUTES, Records: observations.map(toTimestreamRecord) };
}

/** Consecutive slices of at most `size` items, in order. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
