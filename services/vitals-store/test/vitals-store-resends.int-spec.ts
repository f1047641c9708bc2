import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import type { ObservationV1 } from '@rpm/contracts';
import { EMPTY_MONITOR_STATE, observe, resolveProtocol } from '@rpm/clinical-rules';
import { aReading, anObservation, TEST_DATABASE_URL, TestDatabase } from '@rpm/testing';
import { createVitalsStoreDataSource } from '../src/database/data-source';
import { ObservationRepository } from '../src/observations/observation.repository';

/** A device id of this run: the natural key (device, message, code) outlives every test. */
const aDevice = (kind: string): string => `${kind}-${randomUUID().slice(0, 8)}`;

const protocol = resolveProtocol({ programs: [], spo2Scale: 1, timezone: 'UTC', version: 1 });

/** The messageIds the rules engine keeps, fed the readings in this order (its DQ-03 verdicts). */
function keptByEngine(readings: readonly ObservationV1[]): string[] {
  let state = EMPTY_MONITOR_STATE;
  const kept: string[] = [];
  for (const reading of readings) {
    const result = observe(state, reading, protocol, { evaluatedAt: new Date(reading.receivedAt) });
    state = result.state;
    if (!result.duplicate) kept.push(reading.messageId);
  }
  return kept;
}

/**
 * DQ-03 in the store judged as the rules engine judges it: a copy is a resend of a stored reading or
 * of one kept before it, never of a copy that was itself dropped, whichever batches the copies share.
 */
describe('vitals-store DQ-03 resends, as the rules engine judges them', () => {
  const db = new TestDatabase();
  let dataSource: DataSource;
  let repository: ObservationRepository;

  beforeAll(async () => {
    dataSource = createVitalsStoreDataSource(TEST_DATABASE_URL);
    await dataSource.initialize();
    repository = new ObservationRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db.end();
  });

  const storedIds = async (patientId: string): Promise<string[]> =>
    (await db.query<{ message_id: string }>(`SELECT message_id FROM observations WHERE patient_id = $1 GROUP BY message_id ORDER BY min(arrival)`, [patientId])).map(
      (r) => r.message_id,
    );

  it('keeps a wearable\'s unchanged SpO2 once a minute when a whole backlog shares one batch, not only its first reading', async () => {
    const patientId = randomUUID();
    const t = Date.UTC(2026, 10, 24, 9, 0, 0);
    const deviceId = aDevice('wearable');
    // 98 % every 30 s for 5 minutes, uploaded late in one go.
    const readings = Array.from({ length: 11 }, (_, i) =>
      anObservation({ patientId, deviceId, messageId: `s${i * 30}`, reading: aReading({ type: 'spo2', value: 98 }), measuredAt: new Date(t + i * 30_000), receivedAt: new Date(t + 400_000) }),
    );
    const result = await repository.insertBatch(readings);

    // 0 s kept; 30 and 60 s repeat it; 90 s is 90 s from the last kept one; and so on.
    expect(await storedIds(patientId)).toEqual(['s0', 's90', 's180', 's270']);
    expect(result).toEqual({ stored: 4, resent: 7 });
    expect(await storedIds(patientId)).toEqual(keptByEngine(readings));
  });

  it('walks a long backlog of one unchanged reading in one pass: 2,000 copies 20 s apart keep one every 80 s', async () => {
    const patientId = randomUUID();
    const deviceId = aDevice('wearable');
    const t = Date.UTC(2026, 10, 22, 0, 0, 0);
    const readings = Array.from({ length: 2000 }, (_, i) =>
      anObservation({ patientId, deviceId, messageId: `b${i}`, reading: aReading({ type: 'spo2', value: 97 }), measuredAt: new Date(t + i * 20_000) }),
    );
    expect(await repository.insertBatch(readings)).toEqual({ stored: 500, resent: 1500 });
    expect(await storedIds(patientId)).toEqual(Array.from({ length: 500 }, (_, k) => `b${k * 4}`));
  });

  it('does not take a copy for a resend of a copy that repeated a stored reading', async () => {
    const patientId = randomUUID();
    const t = Date.UTC(2026, 10, 24, 10, 0, 0);
    const deviceId = aDevice('cuff');
    const bp = (seconds: number, messageId: string) =>
      anObservation({ patientId, deviceId, messageId, reading: aReading({ type: 'blood_pressure', systolic: 128, diastolic: 82 }), measuredAt: new Date(t + seconds * 1000) });
    await repository.insertBatch([bp(0, 'stored')]);
    // 50 s repeats the stored reading; 100 s repeats only the dropped copy: a reading of its own.
    await repository.insertBatch([bp(50, 'copy'), bp(100, 'later')]);

    expect(await storedIds(patientId)).toEqual(['stored', 'later']);
    expect(keptByEngine([bp(0, 'stored'), bp(50, 'copy'), bp(100, 'later')])).toEqual(['stored', 'later']);
  });

  it('keeps what the rules engine keeps, for any readings in any consumption order and any split into batches', async () => {
    let tried = 0;
    // Up to 16 readings: the engine remembers a patient's last 16, the store every stored reading (protocols.md).
    const reading = fc.record({
      device: fc.constantFrom('hub-a', 'hub-b'),
      kind: fc.constantFrom('spo2', 'blood_pressure'),
      value: fc.constantFrom(96, 97),
      seconds: fc.integer({ min: 0, max: 240 }),
      // Devices send milliseconds; the engine compares whole seconds, and so must the store.
      millis: fc.constantFrom(0, 0, 400, 999),
      batchBreak: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(reading, { minLength: 1, maxLength: 16 }), async (specs) => {
        tried++;
        const patientId = randomUUID();
        const t = Date.UTC(2026, 10, 25, 8, 0, 0);
        const devices = { 'hub-a': aDevice('hub-a'), 'hub-b': aDevice('hub-b') };
        const readings = specs.map((s, i) =>
          anObservation({
            patientId,
            deviceId: devices[s.device],
            messageId: `m${String(i).padStart(2, '0')}`,
            reading: s.kind === 'spo2' ? aReading({ type: 'spo2', value: s.value }) : aReading({ type: 'blood_pressure', systolic: 120 + s.value, diastolic: 80 }),
            measuredAt: new Date(t + s.seconds * 1000 + s.millis),
          }),
        );
        let batch: ObservationV1[] = [];
        for (const [i, r] of readings.entries()) {
          batch.push(r);
          if (specs[i]!.batchBreak) {
            await repository.insertBatch(batch);
            batch = [];
          }
        }
        if (batch.length > 0) await repository.insertBatch(batch);
        expect(await storedIds(patientId)).toEqual(keptByEngine(readings));
      }),
      { numRuns: 60, seed: 20261128 },
    );
    expect(tried).toBeGreaterThanOrEqual(60);
  });
});
