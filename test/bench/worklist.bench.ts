/**
 * npm run bench:worklist: push latency of the worklist's alert stream (issue 4, section 8). One
 * real care-api on rpm_test with a fresh consumer group at the end of rpm.alerts.v1; patients in a
 * few care teams created through the API; N screens following GET /api/v1/alerts/stream (nurses
 * spread over the teams, a few with two, and a few admins who see everything); AlertRaisedV1
 * records published to rpm.alerts.v1 on an open-loop schedule, each a new alert (a new
 * (patient, rule)), so each yields one 'raised' event whose alertId is its alertKey.
 *
 * Push latency of a delivery = the screen's receive time − the record's scheduled send time:
 * producer -> Kafka -> care-api consumer and transaction -> alert_stream sequencer/poll -> SSE ->
 * the screen. Every event must reach exactly the screens entitled to it; missing and duplicated
 * deliveries are counted and an event on a screen not entitled to it is printed loudly. Prints
 * figures and writes .data/bench/worklist-<time>.json (its path is the last line); asserts nothing.
 *
 * Options: --screens 200 --rate 100 (alerts/s) --duration 30 (s) --warmup 5 (s, left out of the
 * latency figures) --teams 4 --admins 8 --port 14098 --keep (leave the run's patients and alerts).
 */
import { randomUUID } from 'node:crypto';
import type { PatientResponse } from '@rpm/contracts';
import { BatchingProducer } from '@rpm/kafka';
import { signDevToken } from '@rpm/service-kit';
import { ApiClient, localTestEnv, newRunId, pollUntil, readMetric, startServiceUnderTest, TestDatabase, testKafka } from '@rpm/testing';
import { Ledger, now } from './worklist/ledger';
import { ResourceSampler } from './worklist/proc';
import { SequencerWatch } from './worklist/sequencer-watch';
import { publishOnSchedule } from './worklist/publisher';
import { report } from './worklist/report';
import { deliveryCounts, openAll, Screen } from './worklist/screen';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
/** Rules of the library: a patient holds one live alert per rule, so each (patient, rule) pair is one new alert. */
const RULES = ['HR-02', 'TM-01', 'RR-01', 'SP-01', 'SP-02', 'SP-05', 'BP-01', 'BP-04', 'BP-05', 'GL-01', 'GL-03', 'HF-01', 'HF-03', 'EW-01', 'AD-01'];
/** Every this many nurses one also belongs to the next care team (cross-cover). */
const TWO_TEAM_NURSE_EVERY = 6;
/** Patients created through the API at once. */
const CREATE_CONCURRENCY = 8;
/** Between the last send and giving up on deliveries still missing: no new one for this long. */
const DRAIN_IDLE_MS = 10_000;
const DRAIN_MAX_MS = 60_000;
/** Deleting the run's rows can deadlock with another care-api still applying the same records. */
const CLEANUP_ATTEMPTS = 5;

/** Fills `patients` in order (index i in care team i mod teams), so a failure halfway still leaves what to delete. */
async function createPatients(admin: ApiClient, runId: string, teams: readonly string[], count: number, patients: PatientResponse[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const careTeamId = teams[index % teams.length];
      const res = await admin.post<PatientResponse>('/api/v1/patients', { mrn: `${runId}-${randomUUID().slice(0, 8)}`, name: 'Bench Patient', timezone: 'Europe/Paris', programs: ['heart_failure'], careTeamId });
      if (res.status !== 201) throw new Error(`patient not created: ${res.status} ${JSON.stringify(res.body)}`);
      patients[index] = res.body;
    }
  };
  await Promise.all(Array.from({ length: CREATE_CONCURRENCY }, worker));
}

/**
 * Deletes the run's patients, alerts and stream rows (each statement idempotent). Another care-api on the
 * shared database may still be applying the same records (its own group reads the topic too), so
 * a deadlock is retried; if it persists, a warning names the run instead of failing the figures.
 */
async function cleanUp(runId: string, patientIds: readonly string[]): Promise<void> {
  const db = new TestDatabase();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await db.query(`DELETE FROM alert_stream WHERE patient_id = ANY($1::uuid[])`, [patientIds]);
        await db.query(`DELETE FROM alert_evidence WHERE alert_id IN (SELECT id FROM alerts WHERE patient_id = ANY($1::uuid[]))`, [patientIds]);
        await db.query(`DELETE FROM alerts WHERE patient_id = ANY($1::uuid[])`, [patientIds]);
        await db.query(`DELETE FROM patient_protocol_versions WHERE patient_id = ANY($1::uuid[])`, [patientIds]);
        await db.query(`DELETE FROM patients WHERE id = ANY($1::uuid[])`, [patientIds]);
        return;
      } catch (error) {
        if (attempt >= CLEANUP_ATTEMPTS) {
          console.warn(`warning: run ${runId}'s patients were not deleted (${String(error)}); their mrn starts with ${runId}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    }
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  const screenCount = arg('screens', 200);
  const rate = arg('rate', 100);
  const duration = arg('duration', 30);
  const warmup = arg('warmup', 5);
  const teamCount = arg('teams', 4);
  const admins = Math.min(arg('admins', 8), screenCount);
  const port = arg('port', 14098);
  const keep = process.argv.includes('--keep');
  const total = Math.round(rate * (warmup + duration));

  const runId = newRunId('bench-wl');
  const local = localTestEnv();
  const kafka = testKafka(runId, local);
  const teams = Array.from({ length: teamCount }, (_, i) => `${runId}-team-${i}`);
  const token = (sub: string, role: 'admin' | 'nurse', careTeams?: string[]) => signDevToken({ sub, role, careTeams }, local.JWT_SECRET);
  const baseUrl = `http://127.0.0.1:${port}`;
  const admin = new ApiClient(baseUrl, token(`${runId}-admin`, 'admin'));
  const producer = new BatchingProducer(kafka);
  const ledger = new Ledger();
  const screens: Screen[] = [];
  const patients: PatientResponse[] = [];

  console.log(`worklist bench ${runId}: starting care-api on :${port} (rpm_test, fresh consumer group at the end of rpm.alerts.v1)`);
  const care = await startServiceUnderTest({ name: 'care-api', runId, port, kafka, env: { VITALS_STORE_URL: 'http://127.0.0.1:14099' } });
  try {
    await producer.connect();
    const patientCount = Math.max(teamCount, Math.ceil(total / RULES.length));
    await createPatients(admin, runId, teams, patientCount, patients);
    for (const p of patients) ledger.addPatient(p.id, p.careTeamId ?? '');

    for (let i = 0; i < screenCount; i++) {
      if (i < admins) screens.push(new Screen(`admin-${i}`, null, token(`${runId}-admin-${i}`, 'admin'), ledger));
      else {
        const k = i - admins;
        const mine = [teams[k % teamCount] ?? '', ...(k % TWO_TEAM_NURSE_EVERY === TWO_TEAM_NURSE_EVERY - 1 && teamCount > 1 ? [teams[(k + 1) % teamCount] ?? ''] : [])];
        screens.push(new Screen(`nurse-${k}`, new Set(mine), token(`${runId}-nurse-${k}`, 'nurse', mine), ledger));
      }
    }
    await openAll(screens, port);
    await pollUntil(async () => ((await readMetric(baseUrl, 'rpm_worklist_connected_screens')) >= screenCount ? true : undefined), { what: 'every screen subscribed' });
    console.log(`  ${patients.length} patients in ${teamCount} care teams; ${screenCount} screens connected; publishing ${total} alerts at ${rate}/s`);

    // Record i goes to patient i mod P under rule i div P: a new (patient, rule) pair every time.
    const start = now() + 1_000;
    ledger.schedule(
      Array.from({ length: total }, (_, i) => {
        const patient = patients[i % patients.length];
        const ruleId = RULES[Math.floor(i / patients.length)];
        if (!patient || !ruleId) throw new Error('not enough (patient, rule) pairs');
        return { alertKey: randomUUID(), patientId: patient.id, ruleId, scheduledAt: start + (i * 1000) / rate, warmup: i < rate * warmup };
      }),
    );
    screens.forEach((s) => s.track());

    const sampler = new ResourceSampler(care.pid ?? process.pid);
    const watch = new SequencerWatch();
    sampler.start();
    watch.start();
    await publishOnSchedule(producer, ledger);
    const lastSent = now();
    const { expected } = deliveryCounts(screens, ledger);
    const delivered = () => screens.reduce((sum, s) => sum + s.firstDeliveries, 0);
    let seen = -1;
    let progressAt = now();
    await pollUntil(
      async () => {
        const d = delivered();
        if (d !== seen) [seen, progressAt] = [d, now()];
        return d >= expected || now() - progressAt > DRAIN_IDLE_MS ? true : undefined;
      },
      { intervalMs: 50, timeoutMs: DRAIN_MAX_MS, what: 'the deliveries to drain' },
    ).catch(() => undefined);
    const drainedInMs = now() - lastSent;
    const resources = sampler.stop();
    const sequencer = await watch.stop();
    const settings = { screens: screenCount, nurses: screenCount - admins, admins, careTeams: teamCount, patients: patients.length, rate, duration, warmup, port, runId };
    const path = report(settings, ledger, screens, { resources, sequencer, drainedInMs });
    console.log(path);
  } finally {
    screens.forEach((s) => s.close());
    await care.stop();
    await producer.disconnect();
    const ids = patients.filter((p) => p !== undefined).map((p) => p.id);
    if (!keep && ids.length > 0) await cleanUp(runId, ids);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
