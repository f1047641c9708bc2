import { randomUUID } from 'node:crypto';
import { Topics, type ObservationV1, type TopicDefinition } from '@rpm/contracts';
import { BatchingProducer, deleteTopicsWithPrefix, ensureTopicLike, permanentWriteError } from '@rpm/kafka';
import { anObservation, newRunId, testKafka, TopicRecorder } from '@rpm/testing';

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
  let written: TopicRecorder<typeof Topics.observations.schema>;

  beforeAll(async () => {
    await ensureTopicLike(kafka, small.name, Topics.observations.name, { 'cleanup.policy': 'delete', 'max.message.bytes': '2000' });
    await producer.connect();
    written = await TopicRecorder.start(kafka, small, `${runId}-written`);
  });

  afterAll(async () => {
    await written?.stop();
    await producer.disconnect();
    await deleteTopicsWithPrefix(kafka, small.name);
  });

  const refusalOf = (write: Promise<void>) =>
    write.then(
      () => 'written',
      (error: unknown) => permanentWriteError(error) ?? `retried: ${String(error)}`,
    );

  it('a record over the topic\'s size limit: refused for good, while a call that shared its request is written, and so is what comes after', async () => {
    const patientId = randomUUID();
    const neighbour = randomUUID();
    const big: ObservationV1 = { ...anObservation({ patientId }), messageId: 'm'.repeat(3_000) };
    const first = anObservation({ patientId: neighbour, messageId: `${runId}-first` });
    const second = anObservation({ patientId: neighbour, messageId: `${runId}-second` });
    // Two calls for the neighbour's partition share the request: resent one by one, neither matches
    // the batch the broker wrote, and with the old producer the broker refused them as out of order.
    const [refused, ...sharing] = await Promise.all([
      refusalOf(producer.publish(small, [{ key: patientId, value: big }])),
      refusalOf(producer.publish(small, [{ key: neighbour, value: first }])),
      refusalOf(producer.publish(small, [{ key: neighbour, value: second }])),
    ]);
    expect(refused).toBe('kafka refused the records: MESSAGE_TOO_LARGE');
    expect(sharing).toEqual(['written', 'written']);

    // kafkajs rolled back the sequence numbers of the request's partitions, the neighbour's too,
    // though it was written: a different record there reused them and the broker took it for a
    // duplicate of the first (acknowledged, never written) until the producer was renewed.
    const next = anObservation({ patientId: neighbour, messageId: `${runId}-next` });
    expect(await refusalOf(producer.publish(small, [{ key: neighbour, value: next }]))).toBe('written');
    await written.waitFor((o) => o.messageId === next.messageId, { what: 'the record after the refusal' });
    // The first may be there twice: the calls of a refused request are resent one by one (at least once).
    expect(new Set(written.values((o) => o.patientId === neighbour).map((o) => o.messageId))).toEqual(new Set([first.messageId, second.messageId, next.messageId]));
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
