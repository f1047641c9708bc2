import { Inject, Injectable } from '@nestjs/common';
import { Topics, type DeviceStatusV1 } from '@rpm/contracts';
import { KAFKA, KafkaLifecycle, TopicConsumer, type Kafka } from '@rpm/kafka';
import { CARE_API_CONFIG, type CareApiConfig } from '../config/care-api.config';
import { DeviceHealthService } from './device-health.service';

/** rpm.devices.status.v1 -> device_status and the device-health items. Its own group (kafkajs assigns a group as if every member read the same topics). */
@Injectable()
export class DeviceStatusConsumer extends TopicConsumer<typeof Topics.deviceStatus.schema> {
  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CARE_API_CONFIG) config: CareApiConfig,
    lifecycle: KafkaLifecycle,
    private readonly health: DeviceHealthService,
  ) {
    super(kafka, lifecycle, { service: 'care-api', groupId: `${config.CARE_API_GROUP_ID}-device-status`, topic: Topics.deviceStatus, newGroupStart: config.KAFKA_NEW_GROUP_START });
  }

  /** In order: a device's statuses share a partition (key deviceId). */
  protected async handle(statuses: DeviceStatusV1[]): Promise<void> {
    for (const status of statuses) await this.health.onStatus(status);
  }
}
