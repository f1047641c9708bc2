import { randomUUID } from 'node:crypto';
import { Topics } from '@rpm/contracts';
import { BatchingProducer } from '@rpm/kafka';
import { metricsRegistry } from '@rpm/service-kit';
import { anObservation, newRunId, testKafka, TopicRecorder } from '@rpm/testing';

/**
 * The gateway's producer under a burst, on the real Kafka: what queues while a request is in flight
 * goes out over several requests within Kafka's size limit, in the order the calls were made.
 * (One request of all of it was refused as too large, then resent call by call: npm run bench, issue 8.)
 */
describe('BatchingProducer under a burst', () => {
  const runId = newRunId('int-bp');
  const kafka = testKafka(runId);
  const producer = new BatchingProducer(kafka);
  let observations: TopicRecorder<typeof Topics.observations.schema>;

  beforeAll(async () => {
    await producer.connect();
    observations = await TopicRecorder.start(kafka, Topics.observations, `${runId}-observations`);
  });

  afterAll(async () => {
    await observations?.stop();
    await producer.disconnect();
  });

  async function producedRequests(): Promise<{ acknowledged: number; failed: number }> {
    const metric = await metricsRegistry.getSingleMetric('rpm_kafka_produce_requests_total')?.get();
    const of = (outcome: string) => metric?.values.find((v) => v.labels['outcome'] === outcome)?.value ?? 0;
    return { acknowledged: of('acknowledged'), failed: of('failed') };
  }

  it('sends a burst of 1.6 MB for one partition (over message.max.bytes, 1 MiB) in order, every call resolved', async () => {
    // One patient, so one partition: a single request would carry one record batch of all of it.
    const patientId = randomUUID();
    const calls = Array.from({ length: 1_200 }, (_, i) =>
      Array.from({ length: 3 }, (_, j) => anObservation({ patientId, messageId: `${runId}-${String(i).padStart(4, '0')}-${j}` })),
    );
    const bytes = calls.flat().reduce((sum, o) => sum + JSON.stringify(o).length, 0);
    expect(bytes).toBeGreaterThan(1_600_000);

    const before = await producedRequests();
    await Promise.all(calls.map((records) => producer.publish(Topics.observations, records.map((value) => ({ key: patientId, value })))));
    const after = await producedRequests();
    // Within the cap from the start: no request refused and resent call by call (1,200 requests).
    expect(after.failed - before.failed).toBe(0);
    expect(after.acknowledged - before.acknowledged).toBeGreaterThanOrEqual(4);
    expect(after.acknowledged - before.acknowledged).toBeLessThan(20);

    const received = await observations.waitFor((o) => o.patientId === patientId, { count: 3_600, timeoutMs: 60_000 });
    expect(received.map((o) => o.messageId)).toEqual(calls.flat().map((o) => o.messageId));
  });
});
