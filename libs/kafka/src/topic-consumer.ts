import type { OnApplicationBootstrap } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { z } from 'zod';
import type { TopicDefinition } from '@rpm/contracts';
import { JsonLogger } from '@rpm/service-kit';
import { BatchConsumer, type BatchContext, type ConsumedRecord } from './consumer';
import type { KafkaLifecycle } from './kafka.module';

export interface TopicConsumerSettings<S extends z.ZodTypeAny> {
  readonly service: string;
  readonly groupId: string;
  readonly topic: TopicDefinition<S>;
  /** Where a group with no committed offsets starts (KAFKA_NEW_GROUP_START). */
  readonly newGroupStart: 'earliest' | 'latest';
  /** This member's partitions after every (re)join. */
  readonly onAssignment?: (partitions: number[]) => void;
}

/**
 * A service's Kafka input as a Nest provider: starts with the application, stops with
 * it (in-flight batch first), reports health for /readyz. Subclasses only say what a
 * batch of valid records does; it must be idempotent and durable when it resolves.
 */
export abstract class TopicConsumer<S extends z.ZodTypeAny> implements OnApplicationBootstrap {
  private readonly consumer: BatchConsumer<S>;

  protected constructor(
    kafka: Kafka,
    private readonly lifecycle: KafkaLifecycle,
    settings: TopicConsumerSettings<S>,
  ) {
    this.consumer = new BatchConsumer(kafka, {
      groupId: settings.groupId,
      topic: settings.topic,
      fromBeginning: settings.newGroupStart === 'earliest',
      log: new JsonLogger(settings.service),
      handleBatch: (records, context) => {
        const valued = records.filter((r): r is ConsumedRecord<z.infer<S>> & { value: z.infer<S> } => r.value !== null);
        return this.handle(
          valued.map((r) => r.value),
          valued,
          context,
        );
      },
      ...(settings.onAssignment ? { onAssignment: settings.onAssignment } : {}),
    });
  }

  /** `records` carries the same values with their partition and offset, for handlers that need them; `context` the batch's heartbeat. */
  protected abstract handle(values: z.infer<S>[], records: ConsumedRecord<z.infer<S>>[], context: BatchContext): Promise<void>;

  get healthy(): boolean {
    return this.consumer.isHealthy;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
    this.lifecycle.onStop(() => this.consumer.stop());
  }
}
