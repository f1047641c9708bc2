import { Topics, type AlertListResponse, type BillingReportResponse, type ObservationV1, type PatientBillingResponse, type PatientResponse } from '@rpm/contracts';
import { BatchingProducer } from '@rpm/kafka';
import { signDevToken } from '@rpm/service-kit';
import { aReading, anObservation, pollUntil, startServiceUnderTest, TestDatabase, type ServiceProcess } from '@rpm/testing';
import { CareApiFixture } from './care-api.fixture';

const VITALS_PORT = 14071;
const DAY_MS = 86_400_000;

/**
 * Billing support (issue 9, section 3) through a real vitals-store: data days counted in each
 * patient's zone across the autumn DST changes of New York and Paris, the patient's period, the
 * monthly export as JSON and CSV, and AD-03 in the adherence queue (raised once, then marked
 * returned to normal when a new period begins).
 */
describe('care-api billing', () => {
  const care = new CareApiFixture(14070, { VITALS_STORE_URL: `http://127.0.0.1:${VITALS_PORT}`, CARE_API_BILLING_CHECK_MS: '1000' });
  const db = new TestDatabase();
  const producer = new BatchingProducer(care.kafka);
  const lead = care.as(`${care.runId}-lead`, 'clinical_lead');
  let vitals: ServiceProcess;
  let pulse = 60;
  let newYork: PatientResponse; // enrolled 2026-10-20 local: period 0 is Oct 20 – Nov 18, across fall-back on Nov 1
  let paris: PatientResponse; // enrolled 2026-10-12 local: period 0 is Oct 12 – Nov 10, across fall-back on Oct 25

  /** A reading at an instant; a new value each time (the same value within 60 s would be dropped as a resend, DQ-03). */
  const reading = (patientId: string, iso: string | number) =>
    anObservation({ patientId, deviceId: `cuff-${patientId}`, reading: aReading({ type: 'heart_rate', value: (pulse += 1) }), measuredAt: new Date(iso) });
  const enrol = async (patient: PatientResponse, enrolledAt: string | Date) => {
    await db.query(`UPDATE patients SET created_at = $2 WHERE id = $1`, [patient.id, enrolledAt]);
  };
  const store = async (observations: ObservationV1[]) => {
    await producer.publish(Topics.observations, observations.map((o) => ({ key: o.patientId, value: o })));
    const patients = [...new Set(observations.map((o) => o.patientId))];
    await pollUntil(async () => {
      const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM observations WHERE patient_id = ANY($1::uuid[])`, [patients]);
      return row?.n === observations.length ? true : undefined;
    }, { timeoutMs: 60_000, what: 'the readings stored by vitals-store' }); // a new consumer group joins first: slow on a busy 2-core box
  };
  const billing = async (patientId: string, query = '') => {
    const res = await care.nurse.get<PatientBillingResponse>(`/api/v1/patients/${patientId}/billing${query}`);
    if (res.status !== 200) throw new Error(`billing answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    await producer.connect();
    vitals = await startServiceUnderTest({ name: 'vitals-store', runId: care.runId, port: VITALS_PORT, kafka: care.kafka });
    await care.start();
    newYork = await care.createPatient({ timezone: 'America/New_York', programs: ['hypertension'] });
    paris = await care.createPatient({ timezone: 'Europe/Paris', programs: ['hypertension'] });
    await enrol(newYork, '2026-10-20T14:00:00Z'); // 10:00 EDT
    await enrol(paris, '2026-10-12T08:00:00Z'); // 10:00 CEST
    const octoberDays = Array.from({ length: 12 }, (_, i) => `2026-10-${String(20 + i).padStart(2, '0')}T17:00:00Z`);
    await store([
      reading(newYork.id, '2026-10-20T03:59:00Z'), // Oct 19, 23:59 EDT: before enrolment
      ...octoberDays.map((at) => reading(newYork.id, at)), // Oct 20 … Oct 31
      reading(newYork.id, '2026-11-01T04:30:00Z'), // Nov 1, 00:30 EDT
      reading(newYork.id, '2026-11-01T06:30:00Z'), // Nov 1, 01:30 EST (the repeated hour)
      reading(newYork.id, '2026-11-02T04:59:00Z'), // Nov 1, 23:59 EST: the 25-hour day still
      reading(newYork.id, '2026-11-02T05:00:00Z'), // Nov 2, 00:00 EST
      reading(newYork.id, '2026-11-03T17:00:00Z'),
      reading(newYork.id, '2026-11-04T17:00:00Z'),
      reading(paris.id, '2026-10-11T21:59:00Z'), // Oct 11, 23:59 CEST: before enrolment
      reading(paris.id, '2026-10-24T21:59:00Z'), // Oct 24, 23:59 CEST
      reading(paris.id, '2026-10-25T22:59:00Z'), // Oct 25, 23:59 CET: the 25-hour day
      reading(paris.id, '2026-10-25T23:00:00Z'), // Oct 26, 00:00 CET
      reading(paris.id, '2026-11-10T22:59:00Z'), // Nov 10, 23:59 CET: the period's last minute
      reading(paris.id, '2026-11-10T23:00:00Z'), // Nov 11, 00:00 CET: the next period
    ]);
  }, 120_000);

  afterAll(async () => {
    await care.stop();
    await vitals?.stop();
    await producer.disconnect();
    await db.end();
  });

  it('counts data days on local dates across fall-back in New York and Paris', async () => {
    const ny = await billing(newYork.id, '?date=2026-11-01');
    expect(ny.enrolledOn).toBe('2026-10-20');
    expect(ny.period).toMatchObject({ index: 0, firstDate: '2026-10-20', lastDate: '2026-11-18', start: '2026-10-20T04:00:00.000Z', end: '2026-11-19T05:00:00.000Z' });
    expect(ny.dataDates).toEqual([...Array.from({ length: 12 }, (_, i) => `2026-10-${20 + i}`), '2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04']);
    expect(ny.period).toMatchObject({ status: 'closed', dataDays: 16, daysRemaining: 0, codeMet: '99454', codeReachable: '99454' });
    expect([ny.projectedDataDays, ny.projectedBand, ny.ad03]).toEqual([16, '16-30', null]);

    const fr = await billing(paris.id, '?date=2026-10-25');
    expect(fr.period).toMatchObject({ index: 0, firstDate: '2026-10-12', lastDate: '2026-11-10', start: '2026-10-11T22:00:00.000Z', end: '2026-11-10T23:00:00.000Z' });
    expect(fr.dataDates).toEqual(['2026-10-24', '2026-10-25', '2026-10-26', '2026-11-10']);
    expect(fr.period).toMatchObject({ dataDays: 4, codeMet: '99445', codeReachable: '99445' });
    expect(fr.ad03).toBe('99454_unreachable');
    // The next period begins at local midnight: 2026-11-10T23:00Z is its first data day.
    const next = await billing(paris.id, '?date=2026-11-11');
    expect([next.period.index, next.dataDates[0]]).toEqual([1, '2026-11-11']);
  });

  it('is for the patient\'s care team, leads and admins; before enrolment is a 404; every read audited', async () => {
    expect((await care.otherNurse.get(`/api/v1/patients/${newYork.id}/billing`)).status).toBe(404);
    expect((await lead.get(`/api/v1/patients/${newYork.id}/billing?date=2026-11-01`)).status).toBe(200);
    expect((await care.nurse.get(`/api/v1/patients/${newYork.id}/billing?date=2026-10-19`)).status).toBe(404);
    expect((await care.nurse.get(`/api/v1/patients/${newYork.id}/billing?date=tomorrow`)).status).toBe(400);
    const audited = await db.query<{ actor: string; outcome: number }>(
      `SELECT actor, outcome FROM audit_log WHERE patient_id = $1 AND action = 'GET /api/v1/patients/:id/billing' ORDER BY id`,
      [newYork.id],
    );
    expect(audited.map((a) => a.outcome)).toEqual(expect.arrayContaining([200, 404]));
    expect(audited.map((a) => a.actor)).toEqual(expect.arrayContaining([`${care.runId}-nurse`, `${care.runId}-lead`, `${care.runId}-other-nurse`]));
  });

  it('exports the month per programme as JSON and as CSV', async () => {
    const res = await lead.get<BillingReportResponse>('/api/v1/reports/billing?programme=hypertension&month=2026-11');
    expect(res.status).toBe(200);
    const rows = res.body.items.filter((r) => r.patientId === newYork.id || r.patientId === paris.id);
    expect(rows.map((r) => r.mrn)).toEqual([newYork.mrn, paris.mrn].sort());
    const nyRow = rows.find((r) => r.patientId === newYork.id);
    expect(nyRow?.periods.map((p) => [p.index, p.firstDate, p.lastDate])).toEqual([[0, '2026-10-20', '2026-11-18'], [1, '2026-11-19', '2026-12-18']]);
    expect(nyRow?.periods[0]).toMatchObject({ status: 'closed', dataDays: 16, codeMet: '99454' });
    const frRow = rows.find((r) => r.patientId === paris.id);
    expect(frRow?.periods[0]).toMatchObject({ firstDate: '2026-10-12', dataDays: 4, codeMet: '99445', codeReachable: '99445' });
    expect(frRow?.periods[1]?.dataDays).toBeGreaterThanOrEqual(1);
    // October: New York's first period only; Paris's first period too.
    const october = await lead.get<BillingReportResponse>('/api/v1/reports/billing?programme=hypertension&month=2026-10');
    expect(october.body.items.find((r) => r.patientId === newYork.id)?.periods.map((p) => p.index)).toEqual([0]);
    // Another programme's export leaves them out.
    const copd = await lead.get<BillingReportResponse>('/api/v1/reports/billing?programme=copd&month=2026-11');
    expect(copd.body.items.some((r) => r.patientId === newYork.id)).toBe(false);
    const general = await lead.get<BillingReportResponse>('/api/v1/reports/billing?programme=general&month=2026-11');
    expect([general.status, general.body.items.some((r) => r.patientId === newYork.id)]).toEqual([200, false]);
    const everyone = await lead.get<BillingReportResponse>('/api/v1/reports/billing?month=2026-11');
    expect(everyone.body.items.filter((r) => r.patientId === newYork.id || r.patientId === paris.id)).toHaveLength(2);

    const token = signDevToken({ sub: `${care.runId}-lead`, role: 'clinical_lead' }, care.local.JWT_SECRET);
    const csv = await fetch(`http://127.0.0.1:${care.port}/api/v1/reports/billing?programme=hypertension&month=2026-11&format=csv`, { headers: { authorization: `Bearer ${token}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="rpm-billing-2026-11-hypertension.csv"');
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).toMatch(/^mrn,patient_id,timezone,programmes,enrolled_on,period1_first_date,/);
    const nyLine = lines.find((l) => l.includes(newYork.id));
    expect(nyLine).toMatch(new RegExp(`^${newYork.mrn},${newYork.id},America/New_York,hypertension,2026-10-20,2026-10-20,2026-11-18,closed,16,0,99454,99454,2026-11-19,2026-12-18,`));
    const [exported] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE patient_id = $1 AND action = 'GET /api/v1/reports/billing?format=csv'`, [newYork.id]);
    expect(exported?.n).toBe(1);

    expect((await care.nurse.get('/api/v1/reports/billing?month=2026-11')).status).toBe(403);
    expect((await lead.get('/api/v1/reports/billing?month=2026-13')).status).toBe(400);
    expect((await lead.get('/api/v1/reports/billing?month=2026-11&format=xml')).status).toBe(400);
  });

  it('raises AD-03 in the adherence queue for a patient falling behind, once, and marks it returned to normal in a new period', async () => {
    const now = Date.now();
    const behind = await care.createPatient({ timezone: 'Asia/Kolkata', programs: ['copd'] });
    const onTrack = await care.createPatient({ timezone: 'Pacific/Chatham', programs: ['copd'] });
    await enrol(behind, new Date(now - 20 * DAY_MS)); // day 21 of 30: 10 days left
    await enrol(onTrack, new Date(now - 3 * DAY_MS));
    await store([reading(behind.id, now - 10 * DAY_MS), reading(behind.id, now - 5 * DAY_MS), reading(onTrack.id, now - DAY_MS)]);

    const behindBilling = await billing(behind.id);
    expect([behindBilling.period.index, behindBilling.period.dataDays, behindBilling.period.daysRemaining]).toEqual([0, 2, 10]);
    expect([behindBilling.period.codeReachable, behindBilling.ad03]).toEqual(['99445', '99454_unreachable']);
    const onTrackBilling = await billing(onTrack.id);
    expect([onTrackBilling.period.dataDays, onTrackBilling.period.codeReachable, onTrackBilling.ad03]).toEqual([1, '99454', null]);

    const adherence = async (patientId: string) =>
      (await care.nurse.get<AlertListResponse>(`/api/v1/alerts?queue=adherence&status=active&patientId=${patientId}`)).body.items.filter((a) => a.ruleId === 'AD-03');
    const [item] = await pollUntil(async () => {
      const items = await adherence(behind.id);
      return items.length > 0 ? items : undefined;
    }, { timeoutMs: 20_000, what: 'AD-03 in the adherence queue' });
    expect(item).toMatchObject({ severity: 'low', queue: 'adherence', status: 'open', returnedToNormalAt: null, breaches: 1 });
    expect(item?.summary).toContain('2 data days');
    expect(item?.summary).toContain('99454');
    expect(await adherence(onTrack.id)).toEqual([]);

    // Later rounds raise nothing more for the same period.
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await adherence(behind.id)).map((a) => [a.id, a.breaches])).toEqual([[item?.id, 1]]);

    // Enrolled 35 days ago instead: a period began 5 days ago, 99454 is reachable again.
    await enrol(behind, new Date(now - 35 * DAY_MS));
    const cleared = await pollUntil(async () => {
      const [a] = await adherence(behind.id);
      return a?.returnedToNormalAt ? a : undefined;
    }, { timeoutMs: 20_000, what: 'AD-03 marked returned to normal' });
    expect([cleared.id, cleared.status, cleared.breaches]).toEqual([item?.id, 'open', 1]);
  });
});
