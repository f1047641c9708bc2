import { Inject, Injectable } from '@nestjs/common';
import { Topics, type AlertEventV1, type ObservationV1 } from '@rpm/contracts';
import { KAFKA, KafkaLifecycle, TopicConsumer, type BatchContext, type ConsumedRecord, type Kafka } from '@rpm/kafka';
import { CARE_API_CONFIG, type CareApiConfig } from '../../config/care-api.config';
import { EhrPushSources } from './ehr-push-sources';
import { EhrPusher } from './ehr-pusher';

/** The consumer groups of the push: apart from care-api's own, so the worklist never waits for an EHR. */
export const ehrPushGroupId = (config: Pick<CareApiConfig, 'CARE_API_GROUP_ID'>, source: 'alert-events' | 'observations'): string =>
  `${config.CARE_API_GROUP_ID}-ehr-push-${source}`;

/**
 * rpm.alert-events.v1 -> EHR: each worklist change pushes the alert's Flag and Task (and its readings)
 * as they are now. Records are pushed one by one in partition order (a patient's changes in order); of
 * several events of one alert in a batch only the last is pushed, since each pushes the current state.
 * Offsets are committed after every record was pushed or dead-lettered.
 */
@Injectable()
export class AlertEventsPushConsumer extends TopicConsumer<typeof Topics.alertEvents.schema> {
  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CARE_API_CONFIG) config: CareApiConfig,
    private readonly kafkaLifecycle: KafkaLifecycle,
    private readonly sources: EhrPushSources,
    private readonly pusher: EhrPusher,
  ) {
    super(kafka, kafkaLifecycle, { service: 'care-api', groupId: ehrPushGroupId(config, 'alert-events'), topic: Topics.alertEvents, newGroupStart: config.KAFKA_NEW_GROUP_START });
  }

  override async onApplicationBootstrap(): Promise<void> {
    await super.onApplicationBootstrap();
    // Registered after the consumer's own stop, so it runs first: a wait between tries ends at once.
    this.kafkaLifecycle.onStop(async () => this.pusher.stop());
  }

  protected async handle(_events: AlertEventV1[], records: ConsumedRecord<AlertEventV1>[], context: BatchContext): Promise<void> {
    const lastOfAlert = new Map<string, ConsumedRecord<AlertEventV1>>();
    for (const r of records) {
      lastOfAlert.delete(r.value!.alertId);
      lastOfAlert.set(r.value!.alertId, r);
    }
    for (const r of lastOfAlert.values()) {
      const event = r.value!;
      // Only a "raised" that is the alert's last event here creates; after any later one the Bundle
      // replaces (a redelivered raised + acknowledged must not leave the EHR at "open").
      await this.pusher.deliver({
        source: 'alert_event',
        build: () => this.sources.alertBundle(event),
        patientId: event.patientId,
        subject: { kind: 'alert', id: event.alertId },
        record: { topic: Topics.alertEvents.name, partition: r.partition, offset: r.offset, value: event },
        heartbeat: context.heartbeat,
      });
    }
  }
}

/** rpm.observations.v1 -> EHR (EHR_PUSH_OBSERVATIONS=all only): every reading as it arrives, a conditional create. */
@Injectable()
export class ObservationsPushConsumer extends TopicConsumer<typeof Topics.observations.schema> {
  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CARE_API_CONFIG) config: CareApiConfig,
    private readonly sources: EhrPushSources,
    private readonly pusher: EhrPusher,
    private readonly kafkaLifecycle: KafkaLifecycle,
  ) {
    super(kafka, kafkaLifecycle, { service: 'care-api', groupId: ehrPushGroupId(config, 'observations'), topic: Topics.observations, newGroupStart: config.KAFKA_NEW_GROUP_START });
  }

  override async onApplicationBootstrap(): Promise<void> {
    await super.onApplicationBootstrap();
    this.kafkaLifecycle.onStop(async () => this.pusher.stop());
  }

  protected async handle(_values: ObservationV1[], records: ConsumedRecord<ObservationV1>[], context: BatchContext): Promise<void> {
    for (const r of records) {
      const o = r.value!;
      await this.pusher.deliver({
        source: 'observation',
        build: () => this.sources.observationBundle(o),
        patientId: o.patientId,
        subject: { kind: 'observation', id: o.observationId },
        record: { topic: Topics.observations.name, partition: r.partition, offset: r.offset, value: o },
        heartbeat: context.heartbeat,
      });
    }
  }
}
