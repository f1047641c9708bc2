import { randomUUID } from 'node:crypto';
import { Topics, type ObservationV1, type TopicDefinition } from '@rpm/contracts';
import { BatchingProducer, deleteTopicsWithPrefix, ensureTopicLike, permanentWriteError } from '@rpm/kafka';
import { anObservation, newRunId, testKafka } from '@rpm/testing';

/**
 * What the gateway dead-letters instead of retrying (IngestService): the refusals of the real broker
 * that no retry mends. Retried, such a message held its PUBACK, and every later one of its MQTT
 * connection, forever.
 */
describe('Kafka write refusals the gateway does not retry', () => {
  const runId = newRunId('int-kr');
  const kafka = testKafka(runId);
  const producer = new BatchingProducer(kafka);
  // Partitioned like the observations, but refusing any record batch over 2,000 bytes.
  const small: TopicDefinition<typeof Topics.observations.schema> = { ...Topics.observations, name: `${runId}-small` };

  beforeAll(async () => {
    await ensureTopicLike(kafka, small.name, Topics.observations.name, { 'cleanup.policy': 'delete', 'max.message.bytes': '2000' });
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await deleteTopicsWithPrefix(kafka, small.name);
  });

  const refusalOf = (write: Promise<void>) =>
    write.then(
      () => 'written',
      (error: unknown) => permanentWriteError(error) ?? `retried: ${String(error)}`,
    );

  it('a record over the topic\'s size limit: refused for good, while a call that shared its request is written', async () => {
    const patientId = randomUUID();
    const big: ObservationV1 = { ...anObservation({ patientId }), messageId: 'm'.repeat(3_000) };
    const [refused, sharing] = await Promise.all([
      refusalOf(producer.publish(small, [{ key: patientId, value: big }])),
      refusalOf(producer.publish(small, [{ key: randomUUID(), value: anObservation() }])),
    ]);
    expect(refused).toBe('kafka refused the records: MESSAGE_TOO_LARGE');
    expect(sharing).toBe('written');
  });

  it('a record that fails its topic\'s schema: refused before it is sent, naming the field', async () => {
    const bad = { ...anObservation(), measuredAt: 'yesterday' } as ObservationV1;
    expect(await refusalOf(producer.publish(Topics.observations, [{ key: bad.patientId, value: bad }]))).toMatch(
      /^a record for rpm\.observations\.v1 fails its schema: measuredAt: /,
    );
  });

  it('anything else is for retrying', () => {
    expect(permanentWriteError(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'))).toBeNull();
    expect(permanentWriteError('not an error')).toBeNull();
  });
});
