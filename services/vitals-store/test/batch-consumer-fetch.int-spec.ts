import { randomUUID } from 'node:crypto';
import { ObservationV1, Topics, type TopicDefinition } from '@rpm/contracts';
import { BatchConsumer, BatchingProducer, consumerGroupLag, deleteTopicsWithPrefix, ensureTopicLike, startGroupAtEnd, type ConsumedRecord } from '@rpm/kafka';
import { JsonLogger, metricsRegistry } from '@rpm/service-kit';
import { anObservation, newRunId, pollUntil, testKafka } from '@rpm/testing';

/**
 * The consumer every service reads Kafka with, on the real broker: a fetch's partition batches go to
 * the handler in one call and are committed together (one insert per fetch in this store, instead of
 * one per partition), and a call that fails commits none of them, so each is delivered again.
 */
describe('BatchConsumer: one fetch, one handler call', () => {
  const runId = newRunId('int-bc');
  const kafka = testKafka(runId);
  const producer = new BatchingProducer(kafka);
  // A private topic partitioned like the observations: no other run writes to it.
  const topic: TopicDefinition<typeof ObservationV1> = { ...Topics.observations, name: `${runId}-observations` };
  const consumers: BatchConsumer<typeof ObservationV1>[] = [];

  beforeAll(async () => {
    await ensureTopicLike(kafka, topic.name, Topics.observations.name, { 'cleanup.policy': 'delete' });
    await producer.connect();
  });

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await producer.disconnect();
    await deleteTopicsWithPrefix(kafka, topic.name);
  });

  /** A group of its own on the private topic, from its end; `handle` may throw to fail a call. */
  async function consume(
    group: string,
    handle: (records: ConsumedRecord<ObservationV1>[]) => void | Promise<void>,
    timing: { sessionTimeoutMs?: number; maxHandlerMs?: number } = {},
  ) {
    const calls: ConsumedRecord<ObservationV1>[][] = [];
    const consumer = new BatchConsumer(kafka, {
      groupId: `${runId}-${group}`,
      topic,
      log: new JsonLogger(`${runId}-${group}`),
      ...timing,
      handleBatch: async (records) => {
        await handle(records);
        calls.push(records);
      },
    });
    consumers.push(consumer);
    await startGroupAtEnd(kafka, `${runId}-${group}`, topic.name);
    await consumer.start();
    return calls;
  }

  /** 60 patients' readings in one request: they land on most of the 12 partitions at once. */
  async function publishSpread(tag: string): Promise<ObservationV1[]> {
    const observations = Array.from({ length: 60 }, (_, i) => anObservation({ patientId: randomUUID(), messageId: `${runId}-${tag}-${i}` }));
    await producer.publish(topic, observations.map((o) => ({ key: o.patientId, value: o })));
    return observations;
  }

  const partitionsOf = (records: readonly ConsumedRecord<ObservationV1>[]) => new Set(records.map((r) => r.partition));

  /** Until the group has committed every partition to its end (and `also` holds). */
  const untilCommitted = (group: string, timeoutMs: number, what: string, also: () => boolean = () => true) =>
    pollUntil(async () => ((await consumerGroupLag(kafka, `${runId}-${group}`, topic.name)) === 0 && also() ? true : undefined), { timeoutMs, what });

  it('hands a fetch of many partitions to the handler in one call, and commits every partition', async () => {
    const calls = await consume('together', () => undefined);
    const sent = await publishSpread('together');

    await pollUntil(async () => (calls.flat().length >= sent.length ? true : undefined), { timeoutMs: 20_000, what: 'every record handled' });
    const partitions = partitionsOf(calls.flat());
    expect(partitions.size).toBeGreaterThanOrEqual(6);
    // One call per partition before: now a call carries the batches of every partition of its fetch.
    expect(calls.length).toBeLessThan(partitions.size);
    expect(Math.max(...calls.map((c) => partitionsOf(c).size))).toBeGreaterThanOrEqual(2);
    expect(calls.flat().map((r) => r.value!.messageId).sort()).toEqual(sent.map((o) => o.messageId).sort());
    await untilCommitted('together', 10_000, 'every partition committed');
  });

  it('commits none of the batches of a call that failed: every one of them comes again', async () => {
    let failed = 0;
    const calls = await consume('retry', (records) => {
      if (failed === 0 && partitionsOf(records).size >= 2) {
        failed++;
        throw new Error('the database is away');
      }
    });
    const sent = await publishSpread('retry');

    await pollUntil(async () => (new Set(calls.flat().map((r) => r.value!.messageId)).size >= sent.length ? true : undefined), {
      timeoutMs: 60_000,
      what: 'every record handled after the failed call',
    });
    expect(failed).toBe(1);
    expect(new Set(calls.flat().map((r) => r.value!.messageId))).toEqual(new Set(sent.map((o) => o.messageId)));
    await untilCommitted('retry', 10_000, 'every partition committed');
  });

  it('reports the lag of a partition whose handler keeps failing (it read 0, as assigned, until a commit)', async () => {
    await consume('stuck', () => {
      throw new Error('the database is away');
    });
    await publishSpread('stuck');

    const lagOf = async () => {
      const metric = await metricsRegistry.getSingleMetric('rpm_kafka_consumer_lag')?.get();
      return (metric?.values ?? []).filter((v) => v.labels['group'] === `${runId}-stuck`).reduce((sum, v) => sum + v.value, 0);
    };
    expect(await pollUntil(async () => ((await lagOf()) > 0 ? lagOf() : undefined), { timeoutMs: 20_000, what: 'lag reported' })).toBeGreaterThan(0);
  });

  /** A handler whose first call takes this long (the others are instant). */
  const slowFirstCall = (ms: number) => {
    let first = true;
    return async () => {
      if (!first) return;
      first = false;
      await new Promise((r) => setTimeout(r, ms));
    };
  };

  const crashesOf = async (group: string) => {
    const metric = await metricsRegistry.getSingleMetric('rpm_kafka_consumer_crashes_total')?.get();
    return (metric?.values ?? []).filter((v) => v.labels['group'] === `${runId}-${group}`).reduce((sum, v) => sum + v.value, 0);
  };

  it('keeps its membership through a handler slower than the session timeout (a long insert on a starved machine)', async () => {
    const calls = await consume('slow', slowFirstCall(9_000), { sessionTimeoutMs: 6_000 });
    const sent = await publishSpread('slow');

    await untilCommitted('slow', 40_000, 'every partition committed after the slow call');
    // Once each: the member kept its partitions, its commit was taken, nothing came again.
    expect(calls.flat().map((r) => r.value!.messageId).sort()).toEqual(sent.map((o) => o.messageId).sort());
    expect(await crashesOf('slow')).toBe(0);
    expect(consumers.at(-1)!.isHealthy).toBe(true);
  }, 60_000);

  it('rejoins, rather than gives up, when its commit is refused because the group dropped it', async () => {
    let blocked = false;
    const calls = await consume('dropped', (records) => {
      if (blocked || records.length === 0) return;
      blocked = true;
      // Synchronous: no heartbeat can go out, so the group drops the member and refuses its commit.
      const until = Date.now() + 8_000;
      while (Date.now() < until) {
        /* the event loop held */
      }
    }, { sessionTimeoutMs: 6_000 });
    const sent = await publishSpread('dropped');

    await untilCommitted('dropped', 60_000, 'every partition committed after the member rejoined');
    expect(new Set(calls.flat().map((r) => r.value!.messageId))).toEqual(new Set(sent.map((o) => o.messageId)));
    expect(await crashesOf('dropped')).toBe(0);
    expect(consumers.at(-1)!.isHealthy).toBe(true);
  }, 90_000);

  it('stops heartbeating a handler past its limit: reported unhealthy, the group takes the partitions back, the batch comes again', async () => {
    const calls = await consume('overdue', slowFirstCall(12_000), { sessionTimeoutMs: 6_000, maxHandlerMs: 2_000 });
    const consumer = consumers.at(-1)!;
    const sent = await publishSpread('overdue');

    await pollUntil(async () => (consumer.isHealthy ? undefined : true), { timeoutMs: 20_000, what: 'the overdue handler reported' });
    await untilCommitted('overdue', 60_000, 'every partition committed after the member rejoined', () => consumer.isHealthy);
    // The hung call's records came again after the group dropped the member.
    const handled = calls.flat().map((r) => r.value!.messageId);
    expect(new Set(handled)).toEqual(new Set(sent.map((o) => o.messageId)));
    expect(handled.length).toBeGreaterThan(sent.length);
    expect(await crashesOf('overdue')).toBe(0);
  }, 90_000);
});
