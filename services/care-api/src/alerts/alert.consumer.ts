import { Inject, Injectable } from '@nestjs/common';
import { Topics, type AlertSignalV1 } from '@rpm/contracts';
import { KAFKA, KafkaLifecycle, TopicConsumer, type Kafka } from '@rpm/kafka';
import { counter } from '@rpm/service-kit';
import { CARE_API_CONFIG, type CareApiConfig } from '../config/care-api.config';
import { AlertIngestService } from './alert-ingest.service';

const applied = counter('rpm_worklist_alert_events_total', 'Alerts applied to the worklist', ['type']);

/** Kafka in (thin): alerts and ended episodes into the worklist (and their events into the outbox), commit after the transaction. */
@Injectable()
export class AlertConsumer extends TopicConsumer<typeof Topics.alerts.schema> {
  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CARE_API_CONFIG) config: CareApiConfig,
    lifecycle: KafkaLifecycle,
    private readonly ingest: AlertIngestService,
  ) {
    super(kafka, lifecycle, { service: 'care-api', groupId: config.CARE_API_GROUP_ID, topic: Topics.alerts, newGroupStart: config.KAFKA_NEW_GROUP_START });
  }

  protected async handle(signals: AlertSignalV1[]): Promise<void> {
    const events = await this.ingest.applyBatch(signals);
    events.forEach((e) => applied.inc({ type: e.type }));
  }
}
