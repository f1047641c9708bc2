import { Inject, Injectable } from '@nestjs/common';
import { Topics, type ObservationV1 } from '@rpm/contracts';
import { KAFKA, KafkaLifecycle, TopicConsumer, type Kafka } from '@rpm/kafka';
import { VITALS_STORE_CONFIG, type VitalsStoreConfig } from '../config/vitals-store.config';
import { ObservationWriteService } from './observation-write.service';

/** Kafka in (thin): batches from rpm.observations.v1 into the sinks; committed once the write resolved. */
@Injectable()
export class ObservationConsumer extends TopicConsumer<typeof Topics.observations.schema> {
  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(VITALS_STORE_CONFIG) config: VitalsStoreConfig,
    lifecycle: KafkaLifecycle,
    private readonly writer: ObservationWriteService,
  ) {
    super(kafka, lifecycle, { service: 'vitals-store', groupId: config.VITALS_STORE_GROUP_ID, topic: Topics.observations, newGroupStart: config.KAFKA_NEW_GROUP_START });
  }

  protected async handle(observations: ObservationV1[]): Promise<void> {
    await this.writer.write(observations);
  }
}
