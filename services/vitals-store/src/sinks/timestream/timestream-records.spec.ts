import { aReading, anObservation } from '@rpm/testing';
import { COMMON_ATTRIBUTES, chunksOf, measureBaseName, toTimestreamRecord, toWriteRecordsRequest } from './timestream-records';

const measuredAt = new Date('2026-11-20T07:58:12.345Z');

describe('toTimestreamRecord', () => {
  it('writes a blood pressure panel as one multi-measure record: ids as dimensions, one measure per component in canonical units beside what the device sent', () => {
    const observation = anObservation({
      patientId: '0b6c1c9e-8a55-4c0e-9a3b-3f1f7e0b9a11',
      deviceId: 'cuff-7',
      messageId: 'm-42',
      measuredAt,
      reading: aReading({ type: 'blood_pressure', systolic: 22, diastolic: 12.5, unit: 'kPa' }),
    });
    const record = toTimestreamRecord(observation);

    expect(record.Dimensions).toEqual([
      { Name: 'patient_id', Value: '0b6c1c9e-8a55-4c0e-9a3b-3f1f7e0b9a11' },
      { Name: 'device_id', Value: 'cuff-7' },
      { Name: 'code', Value: observation.code },
    ]);
    expect(record.MeasureName).toBe(observation.code);
    expect(record.Time).toBe(String(measuredAt.getTime()));
    const measures = new Map(record.MeasureValues!.map((m) => [m.Name, m]));
    expect(measures.get('loinc_8480_6')).toEqual({ Name: 'loinc_8480_6', Value: String(observation.components[0]!.value), Type: 'DOUBLE' });
    expect(Number(measures.get('loinc_8480_6')!.Value)).toBeCloseTo(165.01, 2);
    expect(measures.get('loinc_8480_6_unit')).toEqual({ Name: 'loinc_8480_6_unit', Value: 'mm[Hg]', Type: 'VARCHAR' });
    expect(measures.get('loinc_8480_6_original_value')).toEqual({ Name: 'loinc_8480_6_original_value', Value: '22', Type: 'DOUBLE' });
    expect(measures.get('loinc_8480_6_original_unit')).toEqual({ Name: 'loinc_8480_6_original_unit', Value: 'kPa', Type: 'VARCHAR' });
    expect(measures.get('loinc_8462_4_original_value')).toEqual({ Name: 'loinc_8462_4_original_value', Value: '12.5', Type: 'DOUBLE' });
    expect(measures.get('message_id')).toEqual({ Name: 'message_id', Value: 'm-42', Type: 'VARCHAR' });
    expect(measures.get('measured_at_offset')).toEqual({ Name: 'measured_at_offset', Value: '+00:00', Type: 'VARCHAR' });
    expect(record.MeasureValues).toHaveLength(4 * 2 + 2);
    // Shared fields travel once per request in CommonAttributes, not in every record.
    expect(record).not.toHaveProperty('Version');
    expect(record).not.toHaveProperty('MeasureValueType');
  });

  it('is the same record for a redelivery or a resend that arrives later, so Timestream sees an identical write', () => {
    const first = anObservation({ messageId: 'm-1', measuredAt, receivedAt: new Date('2026-11-20T08:00:00Z') });
    const resent = { ...first, receivedAt: '2026-11-21T09:30:00.000Z' };
    expect(toTimestreamRecord(resent)).toEqual(toTimestreamRecord(first));
  });

  it('gives measures names that need no quoting in queries', () => {
    expect(measureBaseName('8867-4')).toBe('loinc_8867_4');
    expect(measureBaseName('59408-5')).toBe('loinc_59408_5');
  });
});

describe('toWriteRecordsRequest', () => {
  it('names database and table, and shares MULTI, milliseconds and version 1 through CommonAttributes', () => {
    const request = toWriteRecordsRequest('rpm', 'observations', [anObservation(), anObservation()]);
    expect(request).toMatchObject({ DatabaseName: 'rpm', TableName: 'observations' });
    expect(request.CommonAttributes).toEqual({ MeasureValueType: 'MULTI', TimeUnit: 'MILLISECONDS', Version: 1 });
    expect(request.CommonAttributes).toBe(COMMON_ATTRIBUTES);
    expect(request.Records).toHaveLength(2);
  });
});

describe('chunksOf', () => {
  it('cuts in order, the last slice shorter', () => {
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunksOf([], 100)).toEqual([]);
  });
});
