import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Topics } from '@rpm/contracts';
import { BatchConsumer, KAFKA, KafkaLifecycle, type Kafka } from '@rpm/kafka';
import { JsonLogger } from '@rpm/service-kit';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { EvaluationService } from './evaluation.service';


/** Kafka in (thin): each batch is evaluated and its alerts acknowledged before the commit. */
@Injectable()
export class ObservationConsumer implements OnApplicationBootstrap {
  private readonly consumer: BatchConsumer<typeof Topics.observations.schema>;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(RULES_ENGINE_CONFIG) config: RulesEngineConfig,
    private readonly evaluation: EvaluationService,
    private readonly lifecycle: KafkaLifecycle,
  ) {
    this.consumer = new BatchConsumer(kafka, {
      groupId: config.RULES_ENGINE_GROUP_ID,
      fromBeginning: config.KAFKA_NEW_GROUP_START === 'earliest',
      topic: Topics.observations,
      log: new JsonLogger('rules-engine'),
      handleBatch: async (records) => {
        await this.evaluation.evaluate(records.flatMap((r) => (r.value ? [r.value] : [])));
      },
    });
  }

  get healthy(): boolean {
    return this.consumer.isHealthy;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
    this.lifecycle.onStop(() => this.consumer.stop());
  }
}
