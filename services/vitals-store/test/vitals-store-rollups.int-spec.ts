import { randomUUID } from 'node:crypto';
import { Topics, type ObservationHistoryResponse, type ObservationSeriesResponse, type ObservationV1 } from '@rpm/contracts';
import { BatchingProducer } from '@rpm/kafka';
import { ApiClient, aReading, anObservation, newRunId, pollUntil, readMetric, startServiceUnderTest, TEST_DATABASE_URL, TestDatabase, testKafka, type ServiceProcess } from '@rpm/testing';
import { loadVitalsStoreConfig } from '../src/config/vitals-store.config';
import { createVitalsStoreDataSource } from '../src/database/data-source';
import { ObservationRepository } from '../src/observations/observation.repository';
import { PartitionMaintenance, retentionCutoff } from '../src/observations/partition-maintenance';

const PORT = 14001;
const HOUR_MS = 3_600_000;

/** Rollups kept current by the write path (late readings and redeliveries included), the query by resolution, and retention. */
describe('vitals-store rollups and retention', () => {
  const runId = newRunId('int-vsr');
  const kafka = testKafka(runId);
  const producer = new BatchingProducer(kafka);
  const db = new TestDatabase();
  const api = new ApiClient(`http://127.0.0.1:${PORT}`);
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

  const publish = (observations: ObservationV1[]) => producer.publish(Topics.observations, observations.map((o) => ({ key: o.patientId, value: o })));
  const series = async (patientId: string, query: string) => {
    const res = await api.get<ObservationSeriesResponse>(`/internal/v1/patients/${patientId}/observations${query}`);
    if (res.status !== 200) throw new Error(`query answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  it('keeps hourly and daily min, max, mean and count current, late readings included, redeliveries not counted twice', async () => {
    const patientId = randomUUID();
    const day = Date.UTC(2026, 10, 20); // 2026-11-20, UTC
    const at = (hours: number, minutes = 0) => new Date(day + hours * HOUR_MS + minutes * 60_000);
    const hr = (value: number, measuredAt: Date) => anObservation({ patientId, reading: aReading({ type: 'heart_rate', value }), measuredAt });
    const first = [hr(70, at(8, 5)), hr(90, at(8, 40)), hr(60, at(14, 0))];
    await publish(first);
    await pollUntil(async () => ((await series(patientId, `?from=${at(0).toISOString()}&to=${at(24).toISOString()}`)).items.length === 3 ? true : undefined), {
      what: 'three readings stored',
    });
    // A late reading for 08:xx arrives after the others, and the first batch is delivered again.
    await publish([hr(110, at(8, 55)), ...first]);
    const range = `&from=${at(0).toISOString()}&to=${at(24).toISOString()}`;
    await pollUntil(async () => ((await series(patientId, `?resolution=day${range}`)).buckets[0]?.count === 4 ? true : undefined), { what: 'the late reading rolled up' });

    const hourly = await series(patientId, `?resolution=hour&code=8867-4${range}`);
    expect(hourly.resolution).toBe('hour');
    expect(hourly.items).toEqual([]);
    expect(hourly.buckets).toEqual([
      { code: '8867-4', unit: '/min', start: at(8).toISOString(), min: 70, max: 110, mean: 90, count: 3 },
      { code: '8867-4', unit: '/min', start: at(14).toISOString(), min: 60, max: 60, mean: 60, count: 1 },
    ]);
    const daily = await series(patientId, `?resolution=day${range}`);
    expect(daily.buckets).toEqual([{ code: '8867-4', unit: '/min', start: at(0).toISOString(), min: 60, max: 110, mean: 82.5, count: 4 }]);
    // The rollups agree with the raw rows they summarise.
    const [raw] = await db.query<{ n: number; mean: number }>(`SELECT count(*)::int AS n, avg(value) AS mean FROM observations WHERE patient_id = $1`, [patientId]);
    expect(raw).toEqual({ n: 4, mean: 82.5 });
  });

  it('drops a hub\'s resend under a new messageId (DQ-03: same device, code and value within 60 s), counted, in one batch or across', async () => {
    const patientId = randomUUID();
    const deviceId = `hub-${randomUUID().slice(0, 8)}`;
    const t = Date.UTC(2026, 10, 21, 9, 0, 0);
    const spo2 = (value: number, offsetSeconds: number) =>
      anObservation({ patientId, deviceId, reading: aReading({ type: 'spo2', value }), measuredAt: new Date(t + offsetSeconds * 1000) });
    const resentBefore = await readMetric(`http://127.0.0.1:${PORT}`, 'rpm_vitals_rows_resent_total');
    // The reading and the hub's copy 20 s later in the same batch; a copy 50 s later in the next batch with a new 96 %;
    // then 95 % again 130 s after the first: more than 60 s from every stored reading, a new measurement.
    await publish([spo2(95, 0), spo2(95, 20)]);
    await publish([spo2(95, 50), spo2(96, 55)]);
    await publish([spo2(95, 130)]);
    const range = `?from=${new Date(t - 60_000).toISOString()}&to=${new Date(t + 180_000).toISOString()}`;
    const rows = await pollUntil(async () => {
      const items = (await series(patientId, range)).items;
      return items.length >= 3 ? items : undefined;
    }, { what: 'the readings that are not resends' });
    await pollUntil(async () => ((await readMetric(`http://127.0.0.1:${PORT}`, 'rpm_vitals_rows_resent_total')) >= resentBefore + 2 ? true : undefined), { what: 'two resends counted' });
    expect(rows.map((r) => [r.measuredAt, r.value])).toEqual([
      [new Date(t).toISOString(), 95],
      [new Date(t + 55_000).toISOString(), 96],
      [new Date(t + 130_000).toISOString(), 95],
    ]);
  });

  it('judges a resend by the whole reading: a blood pressure whose systolic repeats but diastolic differs is kept whole', async () => {
    const patientId = randomUUID();
    const deviceId = `cuff-${randomUUID().slice(0, 8)}`;
    const t = Date.UTC(2026, 10, 22, 9, 0, 0);
    const bp = (systolic: number, diastolic: number, offsetSeconds: number) =>
      anObservation({ patientId, deviceId, reading: aReading({ type: 'blood_pressure', systolic, diastolic }), measuredAt: new Date(t + offsetSeconds * 1000) });
    // 120/80, then 20 s later 120/85 (a new reading), then the hub's copy of 120/85 (a resend).
    await publish([bp(120, 80, 0)]);
    await publish([bp(120, 85, 20), bp(120, 85, 25)]);
    const range = `?from=${new Date(t - 60_000).toISOString()}&to=${new Date(t + 120_000).toISOString()}`;
    const rows = await pollUntil(async () => {
      const items = (await series(patientId, range)).items;
      return items.length >= 4 ? items : undefined;
    }, { what: 'both blood pressures, whole' });
    await new Promise((r) => setTimeout(r, 500));
    expect((await series(patientId, range)).items.map((r) => [r.measuredAt, r.code, r.value])).toEqual([
      [new Date(t).toISOString(), '8462-4', 80],
      [new Date(t).toISOString(), '8480-6', 120],
      [new Date(t + 20_000).toISOString(), '8462-4', 85],
      [new Date(t + 20_000).toISOString(), '8480-6', 120],
    ]);
    expect(rows).toHaveLength(4);
  });

  it('keeps the order readings were consumed in, the rules engine\'s: the history a backtest replays follows it, not received_at', async () => {
    const patientId = randomUUID();
    const deviceId = `cuff-${randomUUID().slice(0, 8)}`;
    const t = Date.UTC(2026, 10, 23, 9, 0, 0);
    const socketRead = new Date(t + 600_000);
    const bp = (systolic: number, minutes: number, messageId: string, receivedAt = socketRead) =>
      anObservation({ patientId, deviceId, messageId, reading: aReading({ type: 'blood_pressure', systolic, diastolic: 80 }), measuredAt: new Date(t + minutes * 60_000), receivedAt });
    // Three readings from one socket read (one received_at), their messageIds in the reverse of Kafka's order;
    // then one the gateway held back: received first, written to Kafka last.
    const inKafkaOrder = [bp(150, 0, 'c-first'), bp(151, 2, 'b-second'), bp(152, 4, 'a-third'), bp(153, 6, '0-held-back', new Date(t + 300_000))];
    await publish(inKafkaOrder.slice(0, 2));
    await publish(inKafkaOrder.slice(2));
    const history = await pollUntil(async () => {
      const res = await api.post<ObservationHistoryResponse>('/internal/v1/observations/history', {
        patientIds: [patientId], from: new Date(t - 60_000).toISOString(), to: new Date(t + 3_600_000).toISOString(),
      });
      return res.status === 200 && res.body.observations.length === 4 ? res.body.observations : undefined;
    }, { what: 'the four readings in the history' });
    expect(history.map((o) => o.messageId)).toEqual(['c-first', 'b-second', 'a-third', '0-held-back']);
    expect(history.every((o) => o.components.length === 2)).toBe(true);
  });

  it('keeps the resend consumed first when a hub\'s two copies share a batch (DQ-03, as the rules engine does)', async () => {
    const patientId = randomUUID();
    const deviceId = `hub-${randomUUID().slice(0, 8)}`;
    const t = Date.UTC(2026, 10, 23, 10, 0, 0);
    const spo2 = (offsetSeconds: number, messageId: string, receivedAt: Date) =>
      anObservation({ patientId, deviceId, messageId, reading: aReading({ type: 'spo2', value: 94 }), measuredAt: new Date(t + offsetSeconds * 1000), receivedAt });
    // The copy consumed second was received (and measured) earlier: the gateway held the first back.
    await publish([spo2(20, 'consumed-first', new Date(t + 25_000)), spo2(0, 'consumed-second', new Date(t + 5_000))]);
    const range = `?from=${new Date(t - 60_000).toISOString()}&to=${new Date(t + 120_000).toISOString()}`;
    const rows = await pollUntil(async () => {
      const items = (await series(patientId, range)).items;
      return items.length >= 1 ? items : undefined;
    }, { what: 'the reading kept' });
    expect(rows.map((r) => r.messageId)).toEqual(['consumed-first']);
  });

  it('picks raw readings, hourly or daily rollups by the range and the limit when asked for auto', async () => {
    const patientId = randomUUID();
    const to = new Date();
    const month = await series(patientId, `?resolution=auto&from=${new Date(to.getTime() - 30 * 24 * HOUR_MS).toISOString()}&to=${to.toISOString()}`);
    const quarter = await series(patientId, `?resolution=auto&from=${new Date(to.getTime() - 90 * 24 * HOUR_MS).toISOString()}&to=${to.toISOString()}`);
    const year = await series(patientId, `?resolution=auto&from=${new Date(to.getTime() - 365 * 24 * HOUR_MS).toISOString()}&to=${to.toISOString()}`);
    // 90 days hourly is 2,160 buckets a code: more than the default limit (1,000), so daily; with a larger limit and one code, hourly.
    expect([month.resolution, quarter.resolution, year.resolution]).toEqual(['raw', 'day', 'day']);
    const hourly = await series(patientId, `?resolution=auto&code=8867-4&limit=5000&from=${new Date(to.getTime() - 90 * 24 * HOUR_MS).toISOString()}&to=${to.toISOString()}`);
    expect(hourly.resolution).toBe('hour');
    expect((await series(patientId, '')).resolution).toBe('raw');
    expect((await api.get(`/internal/v1/patients/${patientId}/observations?resolution=minute`)).status).toBe(400);
  });

  it('drops whole monthly partitions past the retention period, and old rows of the default partition', async () => {
    // Far in the past, so that no other test's rows are near: the partitions of 2001.
    const dataSource = createVitalsStoreDataSource(TEST_DATABASE_URL);
    await dataSource.initialize();
    try {
      const repository = new ObservationRepository(dataSource);
      const now = new Date(Date.UTC(2001, 3, 15)); // 2001-04-15: partitions 2001-03 .. 2001-07 are made
      const maintenance = new PartitionMaintenance(repository, { ...loadVitalsStoreConfig(), VITALS_RETENTION_MONTHS: 1 });
      // A run that stopped half-way may have left 2001 rows in the default partition, which would block creating 2001's.
      await db.query(`DELETE FROM observations_default WHERE measured_at >= '2001-01-01' AND measured_at < '2002-01-01'`);
      await db.query(`SELECT rpm_ensure_observation_partitions('2001-01-01', 3)`);
      const patientId = randomUUID();
      const stored = await repository.insertBatch([
        anObservation({ patientId, measuredAt: new Date(Date.UTC(2001, 0, 10)) }),
        anObservation({ patientId, measuredAt: new Date(Date.UTC(2001, 1, 10)) }),
        anObservation({ patientId, measuredAt: new Date(Date.UTC(2001, 2, 10)) }),
      ]);
      expect(stored).toEqual({ stored: 3, resent: 0 });

      await maintenance.run(now);
      // Kept: March (the last whole month before April) onwards; gone: January and February.
      expect(retentionCutoff(now, 1).toISOString()).toBe('2001-03-01T00:00:00.000Z');
      const partitions = await db.query<{ name: string }>(`SELECT relname AS name FROM pg_class WHERE relkind = 'r' AND relname LIKE 'observations_2001_%' ORDER BY 1`);
      expect(partitions.map((p) => p.name)).toEqual(['observations_2001_03', 'observations_2001_04', 'observations_2001_05', 'observations_2001_06', 'observations_2001_07']);
      const left = await db.query<{ measured_at: Date }>(`SELECT measured_at FROM observations WHERE patient_id = $1`, [patientId]);
      expect(left.map((r) => r.measured_at.toISOString())).toEqual(['2001-03-10T00:00:00.000Z']);
      // The rollups of the dropped months stay, for long-term charts.
      const [daily] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observation_rollups_daily WHERE patient_id = $1`, [patientId]);
      expect(daily?.n).toBe(3);
    } finally {
      await db.query(`DELETE FROM observations_default WHERE measured_at >= '2001-01-01' AND measured_at < '2002-01-01'`);
      await db.query(`DO $$ DECLARE t text; BEGIN FOR t IN SELECT relname FROM pg_class WHERE relkind = 'r' AND relname ~ '^observations_2001_[0-9]{2}$' LOOP EXECUTE format('DROP TABLE %I', t); END LOOP; END $$`);
      await dataSource.destroy();
    }
  });
});
