import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Topics } from '@rpm/contracts';
import { BatchConsumer, KAFKA, KafkaLifecycle, type Kafka } from '@rpm/kafka';
import { counter, JsonLogger } from '@rpm/service-kit';
import { CARE_API_CONFIG, type CareApiConfig } from '../config/care-api.config';
import { AlertIngestService } from './alert-ingest.service';

const metrics = {
  applied: counter('rpm_worklist_alert_events_total', 'Alerts applied to the worklist', ['type']),
};

/** Kafka in (thin): alerts into the worklist, commit after the database transaction. */
@Injectable()
export class AlertConsumer implements OnApplicationBootstrap {
  private readonly consumer: BatchConsumer<typeof Topics.alerts.schema>;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CARE_API_CONFIG) config: CareApiConfig,
    private readonly ingest: AlertIngestService,
    private readonly lifecycle: KafkaLifecycle,
  ) {
    this.consumer = new BatchConsumer(kafka, {
      groupId: config.CARE_API_GROUP_ID,
      fromBeginning: config.KAFKA_NEW_GROUP_START === 'earliest',
      topic: Topics.alerts,
      log: new JsonLogger('care-api'),
      handleBatch: async (records) => {
        const events = await this.ingest.applyBatch(records.flatMap((r) => (r.value ? [r.value] : [])));
        events.forEach((e) => metrics.applied.inc({ type: e.type }));
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
