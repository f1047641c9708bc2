import { randomUUID } from 'node:crypto';
import { Topics, type BacktestResponse, type ProtocolVersionResponse } from '@rpm/contracts';
import { BatchingProducer } from '@rpm/kafka';
import { aReading, anObservation, pollUntil, startServiceUnderTest, TestDatabase, type ServiceProcess } from '@rpm/testing';
import { CareApiFixture } from './care-api.fixture';

const VITALS_PORT = 14039;
const HOUR_MS = 3_600_000;

/**
 * A draft of the hypertension protocol backtested on readings stored by a real vitals-store:
 * raising BP-06's limits to 150/95 makes a patient with a 7-day mean of ~135/82 no longer alerted.
 */
describe('care-api backtests', () => {
  const care = new CareApiFixture(14038, { VITALS_STORE_URL: `http://127.0.0.1:${VITALS_PORT}` });
  const db = new TestDatabase();
  const producer = new BatchingProducer(care.kafka);
  const lead = care.as(`${care.runId}-lead`, 'clinical_lead');
  let vitals: ServiceProcess;

  beforeAll(async () => {
    await db.query(`DELETE FROM protocol_versions WHERE programme = 'hypertension'`);
    await producer.connect();
    vitals = await startServiceUnderTest({ name: 'vitals-store', runId: care.runId, port: VITALS_PORT, kafka: care.kafka });
    await care.start();
  }, 120_000);

  afterAll(async () => {
    await care.stop();
    await vitals?.stop();
    await producer.disconnect();
    await db.query(`DELETE FROM protocol_versions WHERE programme = 'hypertension'`);
    await db.end();
  });

  it('replays the programme\'s stored readings under the draft and the protocol in force, in the background', async () => {
    const patient = await care.createPatient({ programs: ['hypertension'] });
    const start = new Date();
    start.setUTCHours(13, 0, 0, 0);
    const first = start.getTime() - 6 * 24 * HOUR_MS;
    const readings = [];
    for (let day = 0; day < 5; day++) {
      for (const [i, [sys, dia]] of ([[134, 82], [136, 83], [135, 81]] as const).entries()) {
        const measuredAt = new Date(first + day * 24 * HOUR_MS + i * 2 * HOUR_MS);
        // Each arrived when it was measured: the replay follows arrival order, as the engine did.
        const receivedAt = new Date(measuredAt.getTime() + 5_000);
        readings.push(anObservation({ patientId: patient.id, deviceId: `cuff-${patient.id}`, reading: aReading({ type: 'blood_pressure', systolic: sys, diastolic: dia }), measuredAt, receivedAt }));
      }
    }
    await producer.publish(Topics.observations, readings.map((o) => ({ key: o.patientId, value: o })));
    await pollUntil(async () => ((await care.nurse.get<{ items: unknown[] }>(`/api/v1/patients/${patient.id}/observations`)).body.items.length === 30 ? true : undefined), {
      what: 'the readings stored by vitals-store',
    });

    const draft = await lead.post<ProtocolVersionResponse>('/api/v1/protocols/hypertension/versions', {
      reason: 'follow the 2017 stage-1 range at home',
      settings: [
        { ruleId: 'BP-06', parameter: 'systolic', value: 150 },
        { ruleId: 'BP-06', parameter: 'diastolic', value: 95 },
      ],
    });
    expect(draft.status).toBe(201);
    const from = new Date(first - HOUR_MS).toISOString();
    const to = new Date(first + 5 * 24 * HOUR_MS).toISOString();
    const started = await lead.post<BacktestResponse>(`/api/v1/protocols/hypertension/versions/${draft.body.version}/backtests`, { from, to });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'running', programme: 'hypertension', version: draft.body.version });

    const done = await pollUntil(async () => {
      const job = (await lead.get<BacktestResponse>(`/api/v1/backtests/${started.body.id}`)).body;
      return job.status === 'running' ? undefined : job;
    }, { timeoutMs: 60_000, what: 'the backtest to finish' });
    expect(done.status).toBe('done');
    expect(done.progress.done).toBe(done.progress.total);
    const result = done.result!;
    expect(result.complete).toBe(true);
    expect(result.patientsNoLongerAlerted).toContain(patient.id);
    const gone = result.disappearing.filter((a) => a.patientId === patient.id);
    expect(gone.map((a) => [a.ruleId, a.severity, a.clinical])).toEqual([['BP-06', 'low', false]]);
    expect(result.appearing.filter((a) => a.patientId === patient.id)).toEqual([]);
    expect(result.perRule.find((r) => r.ruleId === 'BP-06')?.current).toBeGreaterThanOrEqual(1);

    expect((await lead.delete(`/api/v1/backtests/${started.body.id}`)).status).toBe(409);
  }, 120_000);

  it('is for clinical leads and admins; an unknown version is a 404', async () => {
    expect((await care.nurse.post('/api/v1/protocols/hypertension/versions/1/backtests', {})).status).toBe(403);
    expect((await lead.post('/api/v1/protocols/hypertension/versions/99/backtests', {})).status).toBe(404);
    expect((await lead.post('/api/v1/protocols/hypertension/versions/1/backtests', { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' })).status).toBe(400);
  });

  it('replays one patient under a draft of her overrides: the hand-computed answer', async () => {
    const patient = await care.createPatient({ programs: [] });
    const first = Date.now() - 4 * 24 * HOUR_MS;
    // SpO2 95 % once a day: inside the normal range, so no rule fires under the protocol in force.
    const readings = [0, 1, 2, 3].map((day) => {
      const measuredAt = new Date(first + day * 24 * HOUR_MS);
      return anObservation({ patientId: patient.id, deviceId: `oxi-${patient.id}`, reading: aReading({ type: 'spo2', value: 95 }), measuredAt, receivedAt: new Date(measuredAt.getTime() + 5_000) });
    });
    await producer.publish(Topics.observations, readings.map((o) => ({ key: o.patientId, value: o })));
    await pollUntil(async () => ((await care.nurse.get<{ items: unknown[] }>(`/api/v1/patients/${patient.id}/observations`)).body.items.length === 4 ? true : undefined), {
      what: 'the readings stored by vitals-store',
    });

    // The draft widens SP-02's band (91, 94) to (91, 96): 95 % falls in it, one episode opens at the first reading.
    const from = new Date(first - HOUR_MS).toISOString();
    const started = await lead.post<BacktestResponse>(`/api/v1/patients/${patient.id}/protocol/backtests`, {
      from,
      overrides: [{ ruleId: 'SP-02', parameter: 'conditions.0.and', value: 96 }],
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ patientId: patient.id, programme: null, version: null, progress: { total: 1 } });
    const done = await pollUntil(async () => {
      const job = (await lead.get<BacktestResponse>(`/api/v1/backtests/${started.body.id}`)).body;
      return job.status === 'running' ? undefined : job;
    }, { what: 'the patient backtest to finish' });
    const result = done.result!;
    expect([done.status, result.complete, result.patients]).toEqual(['done', true, 1]);
    expect(result.perRule).toEqual([{ ruleId: 'SP-02', severity: 'medium', current: 0, draft: 1 }]);
    expect(result.appearing.map((a) => [a.ruleId, a.severity, a.measuredAt, a.observations.map((o) => o.value)])).toEqual([
      ['SP-02', 'medium', readings[0]?.measuredAt, [95]],
    ]);
    expect([result.disappearing, result.patientsNewlyAlerted, result.patientsNoLongerAlerted]).toEqual([[], [patient.id], []]);
    // Nothing changed for the patient: a backtest is not a change.
    expect((await lead.get<{ overrides: unknown[] }>(`/api/v1/patients/${patient.id}/protocol`)).body.overrides).toEqual([]);

    const invalid = await lead.post<{ issues: { field: string }[] }>(`/api/v1/patients/${patient.id}/protocol/backtests`, {
      overrides: [{ ruleId: 'SP-02', parameter: 'conditions.0', value: 97 }],
    });
    expect([invalid.status, invalid.body.issues[0]?.field]).toEqual([400, 'overrides.0.value']);
    expect((await care.nurse.post(`/api/v1/patients/${patient.id}/protocol/backtests`, { overrides: [] })).status).toBe(403);
  }, 120_000);

  it('takes a cancel request for a job another instance runs, and fails a job whose instance stopped', async () => {
    const job = async (heartbeatAgoMs: number) => {
      const id = randomUUID();
      await db.query(
        `INSERT INTO backtests (id, programme, version, status, period_from, period_to, done, total, created_by, created_at, heartbeat_at)
         VALUES ($1, 'copd', 1, 'running', now() - interval '30 days', now(), 3, 10, 'another-instance', now(), now() - make_interval(secs => $2))`,
        [id, heartbeatAgoMs / 1000],
      );
      return id;
    };
    const elsewhere = await job(1_000);
    const cancelled = await lead.delete<BacktestResponse>(`/api/v1/backtests/${elsewhere}`);
    expect([cancelled.status, cancelled.body.status]).toEqual([200, 'running']);
    const [flag] = await db.query<{ cancel_requested: boolean }>(`SELECT cancel_requested FROM backtests WHERE id = $1`, [elsewhere]);
    expect(flag?.cancel_requested).toBe(true);

    const orphaned = await job(5 * 60_000);
    const failed = (await lead.get<BacktestResponse>(`/api/v1/backtests/${orphaned}`)).body;
    expect([failed.status, failed.error]).toEqual(['failed', 'the care-api instance running it stopped']);
    await db.query(`DELETE FROM backtests WHERE id = ANY($1::uuid[])`, [[elsewhere, orphaned]]);
  });
});
