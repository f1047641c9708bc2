import type { z } from 'zod';
import type { TopicDefinition } from '@rpm/contracts';
import { BatchConsumer, startGroupAtEnd, type ConsumedRecord, type Kafka } from '@rpm/kafka';
import { JsonLogger } from '@rpm/service-kit';
import { pollUntil } from './poll-until';

/**
 * Records what is written to a topic from now on: a consumer group of its own, preset to
 * the topic's end, so older records and other runs on the shared cluster are ignored.
 */
export class TopicRecorder<S extends z.ZodTypeAny> {
  private readonly received: ConsumedRecord<z.infer<S>>[] = [];
  private readonly consumer: BatchConsumer<S>;

  private constructor(
    private readonly kafka: Kafka,
    readonly topic: TopicDefinition<S>,
    readonly groupId: string,
  ) {
    this.consumer = new BatchConsumer(kafka, {
      groupId,
      topic,
      log: new JsonLogger(groupId),
      handleBatch: async (records) => {
        this.received.push(...records);
      },
    });
  }

  static async start<S extends z.ZodTypeAny>(kafka: Kafka, topic: TopicDefinition<S>, groupId: string): Promise<TopicRecorder<S>> {
    const recorder = new TopicRecorder(kafka, topic, groupId);
    await startGroupAtEnd(kafka, groupId, topic.name);
    await recorder.consumer.start();
    return recorder;
  }

  /** Every record so far (tombstones included), in arrival order per partition. */
  get records(): readonly ConsumedRecord<z.infer<S>>[] {
    return this.received;
  }

  /** The values (no tombstones) that pass `filter`. */
  values(filter: (value: z.infer<S>) => boolean = () => true): z.infer<S>[] {
    return this.received.flatMap((r) => (r.value !== null && filter(r.value) ? [r.value] : []));
  }

  /** Waits until at least `count` values pass `filter`, and returns them all. */
  waitFor(
    filter: (value: z.infer<S>) => boolean,
    { count = 1, timeoutMs = 20_000, what = '' }: { count?: number; timeoutMs?: number; what?: string } = {},
  ): Promise<z.infer<S>[]> {
    return pollUntil(
      async () => {
        const matching = this.values(filter);
        return matching.length >= count ? matching : undefined;
      },
      { timeoutMs, intervalMs: 50, what: what || `${count} record(s) on ${this.topic.name}` },
    );
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }
}
