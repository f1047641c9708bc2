import { join } from 'node:path';
import { Topics, type AlertListResponse, type AlertResponse, type EhrPushDeadLetterV1, type PatientResponse } from '@rpm/contracts';
import { startGroupAtEnd } from '@rpm/kafka';
import { workspaceRoot } from '@rpm/service-kit';
import { FhirSchema, FhirTestServer, pollUntil, publishReading, readMetric as scrape, TopicRecorder, type StoredResource } from '@rpm/testing';
import { deviceMessage, PipelineHarness } from './pipeline-harness';

type Resource = { resourceType: string; id?: string; [element: string]: unknown };
type Bundle = Resource & { type: string; entry: { fullUrl: string; resource: Resource; request: { method: string; url: string; ifNoneExist?: string } }[] };

const FHIR_PORT = 13704;
const MAX_ATTEMPTS = 6;

/**
 * Issue 9, section 2 (and section 4's "push exactly-once with a failing endpoint"): out-of-range readings
 * published over MQTT, judged by the rules engine, put on the worklist, and pushed by care-api to a test
 * FHIR server that fails on demand. Every Bundle and resource it receives is held to the R4 JSON schema.
 */
describe('EHR push end to end', () => {
  const ehr = new FhirTestServer(FHIR_PORT);
  const harness = new PipelineHarness(
    {
      EHR_FHIR_BASE_URL: `http://127.0.0.1:${FHIR_PORT}/fhir`,
      EHR_FHIR_BEARER_TOKEN: 'ehr-test-token',
      EHR_PUSH_OBSERVATIONS: 'out_of_range',
      EHR_PUSH_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      EHR_PUSH_BACKOFF_BASE_MS: '200',
      EHR_PUSH_BACKOFF_MAX_MS: '1000',
      EHR_PUSH_RETRY_AFTER_MAX_MS: '3000',
      EHR_PUSH_TIMEOUT_MS: '1500',
    },
    { ports: { 'care-api': 13700, 'ingest-gateway': 13701, 'rules-engine': 13702, 'vitals-store': 13703 }, logDir: join(workspaceRoot(), '.data', 'logs', 'ehr-push-e2e') },
  );
  const schema = new FhirSchema();
  let deadLetters: TopicRecorder<typeof Topics.ehrPushDlq.schema>;

  /** A patient's own requests: the cluster and the worklist are shared with other suites and the demo. */
  const about = (patient: PatientResponse) => (body: unknown) => JSON.stringify(body ?? null).includes(JSON.stringify(patient.mrn));
  const bundlesOf = (patient: PatientResponse) => ehr.requests.filter((r) => about(patient)(r.body));
  const one = (type: string, system: string, value: string): StoredResource => {
    const found = ehr.withIdentifier(type, system, value);
    expect({ type, count: found.length }).toEqual({ type, count: 1 });
    return found[0]!;
  };

  beforeAll(async () => {
    // Before any HTTP connection exists: compiling blocks the event loop for seconds (FhirSchema.compile).
    schema.compile(['Patient', 'Device', 'Observation', 'Flag', 'Task', 'Bundle']);
    await ehr.start();
    // The push's group reads this run's alert events only.
    await startGroupAtEnd(harness.kafka, `${harness.groupId('care-api')}-ehr-push-alert-events`, Topics.alertEvents.name);
    deadLetters = await TopicRecorder.start(harness.kafka, Topics.ehrPushDlq, `e2e-${harness.runId}-ehr-dlq`);
    await harness.start({ readyTimeoutMs: 240_000 });
  }, 300_000);
  afterAll(async () => {
    await harness.stop();
    await deadLetters?.stop();
    await ehr.stop();
  }, 60_000);

  let first: { patient: PatientResponse; alert: AlertResponse };

  it('pushes an out-of-range reading and its alert exactly once, though the first tries fail (503, a lost answer, a hang)', async () => {
    const { patient } = await harness.enrolledDevice([], 'bp_cuff').then(async (d) => {
      // Registered first, so the failures can be aimed at this patient's Bundles before its reading is sent.
      ehr.failNext(1, { status: 503, retryAfter: '1' }, about(d.patient));
      ehr.failNext(1, { status: 500, afterCommit: true }, about(d.patient));
      ehr.failNext(1, { hang: true }, about(d.patient));
      expect(await publishReading(d.client, d.topic, deviceMessage([{ type: 'blood_pressure', systolic: 185, diastolic: 95, unit: 'mmHg' }], new Date(Date.now() - 60_000)))).toBe(0);
      return d;
    });
    const alert = await pollUntil(
      async () => (await harness.nurse.get<AlertListResponse>(`/api/v1/alerts?patientId=${patient.id}`)).body.items.find((a) => a.ruleId === 'BP-01'),
      { timeoutMs: 120_000, what: 'BP-01 on the worklist' },
    );
    first = { patient, alert };
    await pollUntil(async () => (bundlesOf(patient).some((r) => r.status === 200) ? true : undefined), { timeoutMs: 120_000, what: 'a successful push' });

    const statuses = bundlesOf(patient).map((r) => r.status);
    expect(statuses.slice(0, 4)).toEqual([503, 500, null, 200]);
    expect(bundlesOf(patient).every((r) => r.authorization === 'Bearer ehr-test-token' && r.contentType?.startsWith('application/fhir+json'))).toBe(true);
    // The lost answer had committed: the retries found what it wrote. One of each, no duplicates.
    one('Patient', 'urn:rpm:patient-mrn', patient.mrn);
    const flag = one('Flag', 'urn:rpm:alert-id', alert.id);
    const task = one('Task', 'urn:rpm:alert-id', alert.id);
    const observations = ehr.all('Observation').filter((o) => JSON.stringify(o.resource['subject']) === JSON.stringify(flag.resource['subject']));
    expect(observations).toHaveLength(1);
    const observation = observations[0]!.resource;
    expect(observation).toMatchObject({
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
      identifier: [{ system: 'urn:rpm:observation-natural-key' }],
      interpretation: [{ coding: [{ code: 'H' }] }],
    });
    expect(flag.resource).toMatchObject({ status: 'active', code: { coding: [{ code: 'BP-01' }] }, subject: { reference: expect.stringMatching(/^Patient\/\d+$/) } });
    expect(task.resource).toMatchObject({ status: 'requested', focus: { reference: `Flag/${flag.resource.id}` } });
    expect((flag.resource['extension'] as { valueReference?: { reference: string } }[]).some((e) => e.valueReference?.reference === `Observation/${observation.id}`)).toBe(true);
    // The raising event creates (ifNoneExist); the readings are conditional updates.
    const pushed = bundlesOf(patient).find((r) => r.status === 200)!.body as Bundle;
    expect(pushed.entry.map((e) => `${e.resource.resourceType} ${e.request.method}`)).toEqual(['Patient POST', 'Device POST', 'Observation PUT', 'Flag POST', 'Task POST']);
    expect(pushed.entry.find((e) => e.resource.resourceType === 'Flag')!.request.ifNoneExist).toBe(`identifier=urn%3Arpm%3Aalert-id|${alert.id}`);
  }, 300_000);

  it('updates the Flag and the Task when the alert is acknowledged, then resolved', async () => {
    const { patient, alert } = first;
    const flagId = one('Flag', 'urn:rpm:alert-id', alert.id).resource.id;
    expect((await harness.nurse.post(`/api/v1/alerts/${alert.id}/acknowledge`)).status).toBe(200);
    await pollUntil(async () => (one('Task', 'urn:rpm:alert-id', alert.id).resource['status'] === 'in-progress' ? true : undefined), { what: 'the Task in progress' });
    expect(one('Flag', 'urn:rpm:alert-id', alert.id).resource).toMatchObject({ id: flagId, status: 'active' });
    expect(one('Task', 'urn:rpm:alert-id', alert.id).resource).toMatchObject({ owner: { identifier: { value: 'e2e-nurse' } } });

    expect((await harness.nurse.post(`/api/v1/alerts/${alert.id}/resolve`, { disposition: 'contacted_patient' })).status).toBe(200);
    await pollUntil(async () => (one('Flag', 'urn:rpm:alert-id', alert.id).resource['status'] === 'inactive' ? true : undefined), { what: 'the Flag inactive' });
    const flag = one('Flag', 'urn:rpm:alert-id', alert.id);
    expect(flag.resource).toMatchObject({ id: flagId, period: { end: expect.any(String) } });
    expect(flag.version).toBeGreaterThanOrEqual(3);
    expect(one('Task', 'urn:rpm:alert-id', alert.id).resource).toMatchObject({ status: 'completed', output: [{ valueCodeableConcept: { coding: [{ code: 'contacted_patient' }] } }] });
    const updates = bundlesOf(patient).slice(-1)[0]!.body as Bundle;
    expect(updates.entry.map((e) => `${e.resource.resourceType} ${e.request.method}`)).toEqual(['Patient POST', 'Device POST', 'Observation PUT', 'Flag PUT', 'Task PUT']);
    one('Patient', 'urn:rpm:patient-mrn', patient.mrn);
    expect(ehr.all('Observation').filter((o) => JSON.stringify(o.resource['subject']) === JSON.stringify(flag.resource['subject']))).toHaveLength(1);
  }, 300_000);

  it('dead-letters a Bundle the endpoint keeps failing (retries exhausted) or refuses (400), and later changes still flow', async () => {
    // Patient 2: the endpoint fails every try.
    const failing = await harness.enrolledDevice([], 'bp_cuff');
    ehr.failAlways({ status: 503 }, about(failing.patient));
    expect(await publishReading(failing.client, failing.topic, deviceMessage([{ type: 'blood_pressure', systolic: 185, diastolic: 95, unit: 'mmHg' }], new Date(Date.now() - 60_000)))).toBe(0);
    const [exhausted] = await deadLetters.waitFor((d) => d.patientId === failing.patient.id, { timeoutMs: 120_000, what: 'the dead letter of patient 2' });
    expect(exhausted).toMatchObject<Partial<EhrPushDeadLetterV1>>({
      schema: 'rpm.ehr-push-dlq.v1',
      reason: 'retries_exhausted',
      detail: expect.stringMatching(/^HTTP 503/),
      lastStatus: 503,
      attempts: MAX_ATTEMPTS,
      subject: { kind: 'alert', id: expect.any(String) },
      source: { topic: 'rpm.alert-events.v1', partition: expect.any(Number), offset: expect.any(String) },
    });
    expect((exhausted!.record as { type: string }).type).toBe('raised');
    const tries = bundlesOf(failing.patient).map((r) => r.status);
    expect(tries.length).toBeGreaterThan(0);
    expect(tries.every((s) => s === 503)).toBe(true);

    // Patient 3: refused at once (a 400 is not tried again).
    const { patient: refusedPatient, alert: refusedAlert } = await (async () => {
      const d = await harness.enrolledDevice([], 'bp_cuff');
      ehr.failNext(1, { status: 400, diagnostics: 'Flag.code: unknown code system' }, about(d.patient));
      expect(await publishReading(d.client, d.topic, deviceMessage([{ type: 'blood_pressure', systolic: 185, diastolic: 95, unit: 'mmHg' }], new Date(Date.now() - 60_000)))).toBe(0);
      const a = await pollUntil(async () => (await harness.nurse.get<AlertListResponse>(`/api/v1/alerts?patientId=${d.patient.id}`)).body.items.find((x) => x.ruleId === 'BP-01'), {
        timeoutMs: 120_000,
        what: 'BP-01 of patient 3',
      });
      return { patient: d.patient, alert: a };
    })();
    const [rejected] = await deadLetters.waitFor((d) => d.patientId === refusedPatient.id, { timeoutMs: 120_000, what: 'the dead letter of patient 3' });
    expect(rejected).toMatchObject({ reason: 'rejected', lastStatus: 400, attempts: 1, detail: 'HTTP 400: Flag.code: unknown code system', subject: { kind: 'alert', id: refusedAlert.id } });

    // The push moved on: the next change of patient 3's alert is pushed (a conditional update creates what the refused create did not).
    expect((await harness.nurse.post(`/api/v1/alerts/${refusedAlert.id}/acknowledge`)).status).toBe(200);
    await pollUntil(async () => (ehr.withIdentifier('Task', 'urn:rpm:alert-id', refusedAlert.id)[0]?.resource['status'] === 'in-progress' ? true : undefined), {
      timeoutMs: 120_000,
      what: "patient 3's Task pushed after the dead letter",
    });
    one('Flag', 'urn:rpm:alert-id', refusedAlert.id);

    // And once the endpoint is back, patient 2's next change goes through as well.
    ehr.recover();
    const failingAlert = (await harness.nurse.get<AlertListResponse>(`/api/v1/alerts?patientId=${failing.patient.id}`)).body.items.find((a) => a.ruleId === 'BP-01')!;
    expect((await harness.nurse.post(`/api/v1/alerts/${failingAlert.id}/acknowledge`)).status).toBe(200);
    await pollUntil(async () => (ehr.withIdentifier('Task', 'urn:rpm:alert-id', failingAlert.id)[0]?.resource['status'] === 'in-progress' ? true : undefined), {
      timeoutMs: 120_000,
      what: "patient 2's Task pushed once the endpoint recovered",
    });
  }, 300_000);

  it('counts pushes, retries and dead letters', async () => {
    // A scrape, tried again when a kept-alive connection was closed under it (a loaded machine).
    const readMetric = (api: string, name: string, labels: Record<string, string>) => pollUntil(() => scrape(api, name, labels), { what: `a scrape of ${name}` });
    const api = harness.apiUrl;
    expect(await readMetric(api, 'rpm_ehr_push_bundles_total', { source: 'alert_event', outcome: 'pushed' })).toBeGreaterThanOrEqual(4);
    expect(await readMetric(api, 'rpm_ehr_push_bundles_total', { source: 'alert_event', outcome: 'dead_lettered' })).toBeGreaterThanOrEqual(2);
    expect(await readMetric(api, 'rpm_ehr_push_retries_total', { source: 'alert_event', cause: 'http_5xx' })).toBeGreaterThanOrEqual(2 + MAX_ATTEMPTS - 1);
    expect(await readMetric(api, 'rpm_ehr_push_retries_total', { source: 'alert_event', cause: 'timeout' })).toBeGreaterThanOrEqual(1);
    expect(await readMetric(api, 'rpm_ehr_push_dead_letters_total', { source: 'alert_event', reason: 'rejected' })).toBeGreaterThanOrEqual(1);
    expect(await readMetric(api, 'rpm_ehr_push_dead_letters_total', { source: 'alert_event', reason: 'retries_exhausted' })).toBeGreaterThanOrEqual(1);
    expect(await readMetric(api, 'rpm_ehr_push_duration_seconds_count', { source: 'alert_event', outcome: 'pushed' })).toBeGreaterThanOrEqual(4);
  });
  it('sent only valid R4: every Bundle and every resource in it', () => {
    expect(ehr.bundles.length).toBeGreaterThan(10);
    for (const bundle of ehr.bundles as Bundle[]) {
      expect(schema.errorsOf(bundle)).toEqual([]);
      for (const e of bundle.entry) expect({ type: e.resource.resourceType, errors: schema.errorsOf(e.resource) }).toEqual({ type: e.resource.resourceType, errors: [] });
    }
    for (const type of ['Patient', 'Device', 'Observation', 'Flag', 'Task']) {
      for (const stored of ehr.all(type)) expect({ type, errors: schema.errorsOf(stored.resource) }).toEqual({ type, errors: [] });
    }
  });

});
