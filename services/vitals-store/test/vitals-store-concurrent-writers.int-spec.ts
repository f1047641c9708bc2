import { randomUUID } from 'node:crypto';
import type { ObservationV1 } from '@rpm/contracts';
import { aReading, anObservation, TEST_DATABASE_URL } from '@rpm/testing';
import { createVitalsStoreDataSource } from '../src/database/data-source';
import { ObservationRepository } from '../src/observations/observation.repository';

/**
 * Two writers of the same readings at once: a replay with a fresh consumer group while the live
 * group runs (docs/operations.md), or two deployments on one database. Batches that overlap with
 * other boundaries and in another order must neither deadlock (a batch retried) nor count a
 * reading twice in the rollups.
 */
describe('vitals-store: concurrent writers of the same readings', () => {
  const dataSource = createVitalsStoreDataSource(TEST_DATABASE_URL);
  let repository: ObservationRepository;

  beforeAll(async () => {
    await dataSource.initialize();
    repository = new ObservationRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('stores each reading once, with no deadlock, when two batches overlap (other batch boundaries, another order)', async () => {
    const measuredAt = new Date(Date.now() - 3_600_000);
    for (let round = 0; round < 8; round++) {
      // Blood pressure and pulse of 300 patients; each writer has 200 of them, 100 in common.
      const patients = Array.from({ length: 300 }, () => randomUUID());
      const batch: ObservationV1[] = patients.flatMap((patientId, i) => [
        anObservation({ patientId, deviceId: `cw-${patientId}`, measuredAt: new Date(measuredAt.getTime() + i), reading: aReading({ type: 'blood_pressure', systolic: 120, diastolic: 80 }) }),
        anObservation({ patientId, deviceId: `cw-${patientId}`, measuredAt: new Date(measuredAt.getTime() + i), reading: aReading({ type: 'heart_rate', value: 70 }) }),
      ]);
      const results = await Promise.all([repository.insertBatch(batch.slice(0, 400)), repository.insertBatch(batch.slice(200).reverse())]);
      expect(results.reduce((sum, r) => sum + r.stored, 0)).toBe(900);
      const [{ count }] = await dataSource.query(`SELECT sum(count)::int AS count FROM observation_rollups_daily WHERE patient_id = ANY($1::uuid[])`, [patients]);
      expect(count).toBe(900);
    }
  });

  it('keeps Kafka order in arrival when two members write overlapping batches of one partition (a rebalance)', async () => {
    const measuredAt = Date.now() - 7_200_000;
    for (let round = 0; round < 8; round++) {
      // One patient's 80 readings in Kafka order: the old owner still writes the first 40, the new one all 80.
      // One received_at and messageIds sorting the other way: only arrival gives this order.
      const patientId = randomUUID();
      const receivedAt = new Date();
      const inKafkaOrder = Array.from({ length: 80 }, (_, i) =>
        anObservation({ patientId, deviceId: `rb-${patientId}`, messageId: `m-${String(79 - i).padStart(2, '0')}`, receivedAt, measuredAt: new Date(measuredAt + i * 120_000), reading: aReading({ type: 'heart_rate', value: 60 + i }) }),
      );
      await Promise.all([repository.insertBatch(inKafkaOrder.slice(0, 40)), repository.insertBatch(inKafkaOrder)]);
      const history = await repository.history([patientId], new Date(measuredAt - 1), new Date(measuredAt + 80 * 120_000));
      expect(history.map((o) => o.messageId)).toEqual(inKafkaOrder.map((o) => o.messageId));
    }
  });
});
