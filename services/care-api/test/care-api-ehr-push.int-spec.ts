import { randomUUID } from 'node:crypto';
import { Topics, type ObservationV1 } from '@rpm/contracts';
import { BatchingProducer, startGroupAtEnd } from '@rpm/kafka';
import { FhirSchema, FhirTestServer, pollUntil, readMetric } from '@rpm/testing';
import { CareApiFixture } from './care-api.fixture';

const PORT = 14100;

/**
 * Issue 9, section 2, EHR_PUSH_OBSERVATIONS=all: every reading on rpm.observations.v1 reaches the EHR as
 * a conditional create, once, however often it is delivered; a reading of a patient this registry does
 * not know is skipped. care-api as a real process, readings written to Kafka directly.
 */
describe('care-api EHR push of every reading (EHR_PUSH_OBSERVATIONS=all)', () => {
  const ehr = new FhirTestServer();
  const schema = new FhirSchema();
  let care: CareApiFixture;
  let producer: BatchingProducer;

  beforeAll(async () => {
    // Before any HTTP connection exists: compiling blocks the event loop for seconds (FhirSchema.compile).
    schema.compile(['Patient', 'Device', 'Observation', 'Flag', 'Task', 'Bundle']);
    await ehr.start();
    care = new CareApiFixture(PORT, {
      EHR_FHIR_BASE_URL: ehr.baseUrl,
      EHR_PUSH_OBSERVATIONS: 'all',
      EHR_PUSH_BACKOFF_BASE_MS: '100',
      EHR_PUSH_BACKOFF_MAX_MS: '400',
    });
    for (const [source, topic] of [['observations', Topics.observations.name], ['alert-events', Topics.alertEvents.name]] as const) {
      await startGroupAtEnd(care.kafka, `${care.runId}-care-api-ehr-push-${source}`, topic);
    }
    producer = new BatchingProducer(care.kafka);
    await producer.connect();
    await care.start();
  }, 180_000);
  afterAll(async () => {
    await care?.stop();
    await producer?.disconnect();
    await ehr.stop();
  }, 60_000);

  const reading = (patientId: string): ObservationV1 => {
    const messageId = randomUUID();
    return {
      schema: 'rpm.observation.v1',
      observationId: `int-scale/${messageId}/body_weight`,
      patientId,
      deviceId: 'int-scale',
      messageId,
      type: 'body_weight',
      code: '29463-7',
      measuredAt: new Date(Date.now() - 60_000).toISOString(),
      measuredAtOffset: '+01:00',
      receivedAt: new Date().toISOString(),
      components: [{ code: '29463-7', value: 83.23, unit: 'kg', originalValue: 183.5, originalUnit: 'lb' }],
    };
  };
  /** A scrape, tried again when a kept-alive connection was closed under it (a loaded machine). */
  const skipped = () => pollUntil(() => readMetric(`http://127.0.0.1:${PORT}`, 'rpm_ehr_push_bundles_total', { source: 'observation', outcome: 'skipped' }), { what: 'a scrape' });
  const publish = (o: ObservationV1) => producer.publish(Topics.observations, [{ key: o.patientId, value: o }]);

  it('creates the reading once, though it is delivered twice and the first answer is lost after the commit', async () => {
    const patient = await care.createPatient();
    const o = reading(patient.id);
    ehr.failNext(1, { status: 502, afterCommit: true }, (body) => JSON.stringify(body).includes(o.messageId));
    await publish(o);
    await pollUntil(async () => (ehr.requests.some((r) => r.status === 200 && JSON.stringify(r.body).includes(o.messageId)) ? true : undefined), {
      timeoutMs: 60_000,
      what: 'the reading pushed',
    });
    await publish(o); // a resend: the gateway's at-least-once, or a replay
    await pollUntil(async () => (ehr.requests.filter((r) => r.status === 200 && JSON.stringify(r.body).includes(o.messageId)).length === 2 ? true : undefined), {
      timeoutMs: 60_000,
      what: 'the resend pushed',
    });

    const stored = ehr.withIdentifier('Observation', 'urn:rpm:observation-natural-key', o.observationId);
    expect(stored.map((s) => s.version)).toEqual([1]);
    expect(ehr.withIdentifier('Patient', 'urn:rpm:patient-mrn', patient.mrn)).toHaveLength(1);
    const observation = stored[0]!.resource;
    expect(observation).toMatchObject({ status: 'final', valueQuantity: { value: 83.23, code: 'kg' }, extension: [{ valueQuantity: { value: 183.5, unit: 'lb' } }] });
    // No device of that id in the registry: the Observation carries no dangling reference.
    expect(observation['device']).toBeUndefined();
    expect(observation['interpretation']).toBeUndefined();
    for (const r of ehr.requests.filter((x) => JSON.stringify(x.body).includes(o.messageId))) {
      const bundle = r.body as { entry: { resource: unknown; request: { method: string } }[] };
      expect(schema.errorsOf(bundle)).toEqual([]);
      expect(bundle.entry.map((e) => e.request.method)).toEqual(['POST', 'POST']);
      for (const e of bundle.entry) expect(schema.errorsOf(e.resource)).toEqual([]);
    }
  });

  it('skips a reading of a patient it does not know, and counts it', async () => {
    const before = await skipped();
    const o = reading(randomUUID());
    await publish(o);
    await pollUntil(async () => ((await skipped()) > before ? true : undefined), {
      timeoutMs: 60_000,
      what: 'the skip counted',
    });
    expect(ehr.requests.some((r) => JSON.stringify(r.body).includes(o.messageId))).toBe(false);
  });
});
