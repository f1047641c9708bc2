import { randomUUID } from 'node:crypto';
import { Topics, type ObservationSeriesResponse, type ObservationV1 } from '@rpm/contracts';
import { BatchingProducer, sendRawRecords } from '@rpm/kafka';
import {
  ApiClient,
  aReading,
  anObservation,
  newRunId,
  pollUntil,
  readMetric,
  startServiceUnderTest,
  TestDatabase,
  testKafka,
  type ServiceProcess,
} from '@rpm/testing';

const PORT = 14000;

/** vitals-store as a real process: rpm.observations.v1 in (real Kafka), rows in rpm_test, its query API out. */
describe('vitals-store', () => {
  const runId = newRunId('int-vs');
  const kafka = testKafka(runId);
  const producer = new BatchingProducer(kafka);
  const db = new TestDatabase();
  const baseUrl = `http://127.0.0.1:${PORT}`;
  const api = new ApiClient(baseUrl);
  let service: ServiceProcess;

  beforeAll(async () => {
    await producer.connect();
    service = await startServiceUnderTest({ name: 'vitals-store', runId, port: PORT, kafka });
  });

  afterAll(async () => {
    await service?.stop();
    await producer.disconnect();
    await db.end();
  });

  const publish = (observations: ObservationV1[]) =>
    producer.publish(Topics.observations, observations.map((o) => ({ key: o.patientId, value: o })));

  const seriesOf = async (patientId: string, query = '') => {
    const res = await api.get<ObservationSeriesResponse>(`/internal/v1/patients/${patientId}/observations${query}`);
    if (res.status !== 200) throw new Error(`query answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.items;
  };

  const storedRows = (patientId: string, count: number, query = '') =>
    pollUntil(
      async () => {
        const items = await seriesOf(patientId, query);
        return items.length >= count ? items : undefined;
      },
      { what: `${count} stored rows of ${patientId}` },
    );

  it('stores each component in canonical units with the original value and unit, blood pressure as two rows', async () => {
    const patientId = randomUUID();
    await publish([
      anObservation({ patientId, reading: aReading({ type: 'blood_pressure', systolic: 22, diastolic: 12.5, unit: 'kPa' }) }),
      anObservation({ patientId, reading: aReading({ type: 'body_weight', value: 180, unit: 'lb' }) }),
      anObservation({ patientId, reading: aReading({ type: 'glucose', value: 5.5, unit: 'mmol/L' }) }),
      anObservation({ patientId, reading: aReading({ type: 'body_temperature', value: 100.4, unit: 'degF' }) }),
    ]);

    const rows = await storedRows(patientId, 5);
    const byCode = new Map(rows.map((r) => [r.code, r]));
    expect([...byCode.keys()].sort()).toEqual(['29463-7', '41653-7', '8310-5', '8462-4', '8480-6']);
    expect(byCode.get('8480-6')).toEqual(expect.objectContaining({ unit: 'mm[Hg]', originalValue: 22, originalUnit: 'kPa' }));
    expect(byCode.get('8480-6')!.value).toBeCloseTo(165.01, 2);
    expect(byCode.get('8462-4')).toEqual(expect.objectContaining({ unit: 'mm[Hg]', originalValue: 12.5, originalUnit: 'kPa' }));
    expect(byCode.get('8462-4')!.value).toBeCloseTo(93.76, 2);
    expect(byCode.get('29463-7')).toEqual(expect.objectContaining({ unit: 'kg', originalValue: 180, originalUnit: 'lb' }));
    expect(byCode.get('29463-7')!.value).toBeCloseTo(81.647, 3);
    expect(byCode.get('41653-7')).toEqual(expect.objectContaining({ unit: 'mg/dL', originalValue: 5.5, originalUnit: 'mmol/L' }));
    expect(byCode.get('41653-7')!.value).toBeCloseTo(99.09, 2);
    expect(byCode.get('8310-5')).toEqual(expect.objectContaining({ unit: 'Cel', originalValue: 100.4, originalUnit: 'degF' }));
    expect(byCode.get('8310-5')!.value).toBeCloseTo(38, 6);
    expect(await seriesOf(patientId, '?code=8480-6')).toHaveLength(1);
  });

  it('adds no row when the same records are delivered again, and counts them as duplicates', async () => {
    const patientId = randomUUID();
    const observations = [
      anObservation({ patientId, reading: aReading({ type: 'blood_pressure', systolic: 130, diastolic: 85 }) }),
      anObservation({ patientId, reading: aReading({ type: 'heart_rate', value: 64 }) }),
    ];
    await publish(observations);
    const first = await storedRows(patientId, 3);
    const duplicatesBefore = await readMetric(baseUrl, 'rpm_vitals_rows_duplicate_total');

    await publish(observations);

    await pollUntil(async () => ((await readMetric(baseUrl, 'rpm_vitals_rows_duplicate_total')) >= duplicatesBefore + 3 ? true : undefined), {
      what: 'the three redelivered rows counted as duplicates',
    });
    expect(await seriesOf(patientId)).toEqual(first);
    const [stored] = await db.query<{ count: string }>('SELECT count(*) FROM observations WHERE patient_id = $1', [patientId]);
    expect(Number(stored?.count)).toBe(3);
  });

  it('keeps the natural key (device, message, code) even when a resend carries another measuredAt', async () => {
    const patientId = randomUUID();
    const deviceId = `${runId}-resync`;
    const first = anObservation({ patientId, deviceId, messageId: 'm-1', reading: aReading({ type: 'heart_rate', value: 70 }), measuredAt: new Date('2026-11-20T08:00:00Z') });
    const resent = anObservation({ patientId, deviceId, messageId: 'm-1', reading: aReading({ type: 'heart_rate', value: 70 }), measuredAt: new Date('2026-11-20T08:03:00Z') });
    await publish([first]);
    await storedRows(patientId, 1, '?from=2026-11-01T00:00:00Z');
    await publish([resent]);
    await publish([anObservation({ patientId, deviceId, messageId: 'm-2', reading: aReading({ type: 'heart_rate', value: 71 }) })]);
    const rows = await storedRows(patientId, 2, '?from=2026-11-01T00:00:00Z');
    expect(rows.map((r) => [r.measuredAt, r.value])).toEqual([
      ['2026-11-20T08:00:00.000Z', 70],
      [expect.any(String), 71],
    ]);
  });

  it('stores a reading dated 2021, outside every monthly partition, in the default partition', async () => {
    const patientId = randomUUID();
    const measuredAt = new Date('2021-03-14T09:30:00Z');
    await publish([anObservation({ patientId, measuredAt, reading: aReading({ type: 'spo2', value: 95 }) })]);

    const rows = await storedRows(patientId, 1, '?from=2021-01-01T00:00:00Z&to=2021-12-31T00:00:00Z');
    expect(rows).toEqual([expect.objectContaining({ code: '59408-5', value: 95, measuredAt: measuredAt.toISOString() })]);
    const [row] = await db.query<{ partition: string }>('SELECT tableoid::regclass::text AS partition FROM observations WHERE patient_id = $1', [
      patientId,
    ]);
    expect(row?.partition).toBe('observations_default');
  });

  it.each([
    ['a code that is not LOINC', '?code=heart-rate', 'code'],
    ['from after to', '?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'from'],
    ['a limit of 0', '?limit=0', 'limit'],
  ])('answers 400 naming the field for %s', async (_case, query, field) => {
    const res = await api.get<{ issues: { field: string; reason: string }[] }>(`/internal/v1/patients/${randomUUID()}/observations${query}`);
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([expect.objectContaining({ field })]);
  });

  it('skips and counts a record that fails the topic schema, and goes on with the records after it', async () => {
    const patientId = randomUUID();
    const invalidBefore = await readMetric(baseUrl, 'rpm_kafka_invalid_records_total', { topic: Topics.observations.name });
    // Same key, so the poison record sits on the same partition, ahead of the valid one.
    await sendRawRecords(kafka, Topics.observations.name, [
      { key: patientId, value: '{"schema":"rpm.observation.v1","patientId":"not a uuid"}' },
      { key: patientId, value: 'not json at all' },
    ]);
    await publish([anObservation({ patientId, reading: aReading({ type: 'heart_rate', value: 64 }) })]);
    const [row] = await storedRows(patientId, 1);
    expect(row?.value).toBe(64);
    expect(await readMetric(baseUrl, 'rpm_kafka_invalid_records_total', { topic: Topics.observations.name })).toBe(invalidBefore + 2);
  });

  it('answers 400 for a patient id that is not a UUID', async () => {
    expect((await api.get('/internal/v1/patients/not-a-uuid/observations')).status).toBe(400);
  });

  it('reports liveness and readiness as JSON', async () => {
    expect(await api.get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await api.get('/readyz')).toEqual({ status: 200, body: { status: 'ready', checks: { kafka: true, postgres: true, 'observations-consumer': true } } });
  });
});
