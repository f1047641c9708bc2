import { Inject, Injectable } from '@nestjs/common';
import { Topics, type ObservationV1 } from '@rpm/contracts';
import { KAFKA, KafkaLifecycle, TopicConsumer, type ConsumedRecord, type Kafka } from '@rpm/kafka';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { PatientStateStore } from '../state/patient-state.store';
import { EvaluationService } from './evaluation.service';

/** Kafka in (thin): each batch is evaluated and its alerts and states acknowledged before the commit. */
@Injectable()
export class ObservationConsumer extends TopicConsumer<typeof Topics.observations.schema> {
  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(RULES_ENGINE_CONFIG) config: RulesEngineConfig,
    lifecycle: KafkaLifecycle,
    states: PatientStateStore,
    private readonly evaluation: EvaluationService,
  ) {
    super(kafka, lifecycle, {
      service: 'rules-engine',
      groupId: config.RULES_ENGINE_GROUP_ID,
      topic: Topics.observations,
      newGroupStart: config.KAFKA_NEW_GROUP_START,
      onAssignment: (partitions) => states.onAssignment(partitions),
    });
  }

  protected async handle(_observations: ObservationV1[], records: ConsumedRecord<ObservationV1>[]): Promise<void> {
    await this.evaluation.evaluate(records);
  }
}
