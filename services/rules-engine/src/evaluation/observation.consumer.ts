import { Inject, Injectable } from '@nestjs/common';
import { Topics, type ObservationV1 } from '@rpm/contracts';
import { KAFKA, KafkaLifecycle, TopicConsumer, type Kafka } from '@rpm/kafka';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { EvaluationService } from './evaluation.service';

/** Kafka in (thin): each batch is evaluated and its alerts acknowledged before the commit. */
@Injectable()
export class ObservationConsumer extends TopicConsumer<typeof Topics.observations.schema> {
  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(RULES_ENGINE_CONFIG) config: RulesEngineConfig,
    lifecycle: KafkaLifecycle,
    private readonly evaluation: EvaluationService,
  ) {
    super(kafka, lifecycle, { service: 'rules-engine', groupId: config.RULES_ENGINE_GROUP_ID, topic: Topics.observations, newGroupStart: config.KAFKA_NEW_GROUP_START });
  }

  protected async handle(observations: ObservationV1[]): Promise<void> {
    await this.evaluation.evaluate(observations);
  }
}
