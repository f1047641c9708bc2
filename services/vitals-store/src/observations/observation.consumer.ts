import { Inject, Injectable } from '@nestjs/common';
import { Topics, type ObservationV1 } from '@rpm/contracts';
import { KAFKA, KafkaLifecycle, TopicConsumer, type Kafka } from '@rpm/kafka';
import { counter, histogram } from '@rpm/service-kit';
import { VITALS_STORE_CONFIG, type VitalsStoreConfig } from '../config/vitals-store.config';
import { ObservationRepository } from './observation.repository';

const metrics = {
  stored: counter('rpm_vitals_rows_stored_total', 'Observation rows newly stored'),
  duplicates: counter('rpm_vitals_rows_duplicate_total', 'Observation rows already stored (redelivery or resend)'),
  batchSize: histogram('rpm_vitals_write_batch_size', 'Readings per database write', [1, 5, 10, 50, 100, 500, 1000, 5000]),
  writeSeconds: histogram('rpm_vitals_write_seconds', 'Database write latency per batch', [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]),
};

/** Kafka in (thin): batches from rpm.observations.v1 into PostgreSQL, commit after the insert. */
@Injectable()
export class ObservationConsumer extends TopicConsumer<typeof Topics.observations.schema> {
  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(VITALS_STORE_CONFIG) config: VitalsStoreConfig,
    lifecycle: KafkaLifecycle,
    private readonly repository: ObservationRepository,
  ) {
    super(kafka, lifecycle, { service: 'vitals-store', groupId: config.VITALS_STORE_GROUP_ID, topic: Topics.observations, newGroupStart: config.KAFKA_NEW_GROUP_START });
  }

  protected async handle(observations: ObservationV1[]): Promise<void> {
    const rows = observations.reduce((n, o) => n + o.components.length, 0);
    metrics.batchSize.observe(observations.length);
    const stop = metrics.writeSeconds.startTimer();
    const inserted = await this.repository.insertBatch(observations);
    stop();
    metrics.stored.inc(inserted);
    metrics.duplicates.inc(rows - inserted);
  }
}
