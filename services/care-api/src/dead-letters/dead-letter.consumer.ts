import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Topics, type DeadLetterV1 } from '@rpm/contracts';
import { KAFKA, KafkaLifecycle, TopicConsumer, type ConsumedRecord, type Kafka } from '@rpm/kafka';
import { counter } from '@rpm/service-kit';
import { CARE_API_CONFIG, type CareApiConfig } from '../config/care-api.config';
import { DeviceHealthService } from '../device-health/device-health.service';

const keptTotal = counter('rpm_dead_letters_kept_total', 'Dead letters and quarantined readings kept for operators to list and replay', ['reason']);

/**
 * rpm.ingest.dlq.v1 -> the dead_letters table, where operators list and replay them. Idempotent on
 * the record's content (record_sha256), not its offset: offsets restart when a topic is re-created. Its own consumer group: kafkajs assigns partitions as if every
 * member of a group read the same topics.
 */
@Injectable()
export class DeadLetterConsumer extends TopicConsumer<typeof Topics.ingestDlq.schema> {
  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(CARE_API_CONFIG) config: CareApiConfig,
    lifecycle: KafkaLifecycle,
    @InjectDataSource() private readonly db: DataSource,
    private readonly health: DeviceHealthService,
  ) {
    super(kafka, lifecycle, { service: 'care-api', groupId: `${config.CARE_API_GROUP_ID}-dead-letters`, topic: Topics.ingestDlq, newGroupStart: config.KAFKA_NEW_GROUP_START });
  }

  /** `values[i]` is `records[i]`'s value. */
  protected async handle(values: DeadLetterV1[], records: ConsumedRecord<DeadLetterV1>[]): Promise<void> {
    const rows = values.map((value, i) => [records[i]?.partition ?? -1, records[i]?.offset ?? '-1', value] as const);
    const kept = (await this.db.query(
      `WITH incoming AS (
         SELECT t.*, encode(sha256(convert_to(concat_ws('|', t.reason, t.detail, t.device_id, t.mqtt_topic, t.message_id, t.reading_index::text,
                                                        (extract(epoch FROM t.received_at) * 1000)::bigint::text, t.raw_payload_sha256), 'UTF8')), 'hex') AS record_sha256
           FROM unnest($1::int[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::timestamptz[],
                       $10::text[], $11::int[], $12::text[])
                AS t(kafka_partition, kafka_offset, reason, detail, device_id, mqtt_topic, message_id, reading_index, received_at,
                     raw_payload_base64, raw_payload_bytes, raw_payload_sha256)
       )
       INSERT INTO dead_letters (kafka_partition, kafka_offset, reason, detail, device_id, mqtt_topic, message_id, reading_index, received_at,
                                 raw_payload_base64, raw_payload_bytes, raw_payload_sha256, record_sha256)
       SELECT DISTINCT ON (record_sha256) * FROM incoming
       -- A redelivery (same content) finds its row; a new dead letter at an offset used before (a re-created topic) is new.
       ON CONFLICT (record_sha256) DO UPDATE SET kafka_partition = EXCLUDED.kafka_partition, kafka_offset = EXCLUDED.kafka_offset
       RETURNING id::text, device_id, reason, detail, received_at`,
      [
        rows.map(([p]) => p),
        rows.map(([, o]) => o),
        rows.map(([, , d]) => d.reason),
        rows.map(([, , d]) => d.detail),
        rows.map(([, , d]) => d.deviceId),
        rows.map(([, , d]) => d.mqttTopic),
        rows.map(([, , d]) => d.messageId),
        rows.map(([, , d]) => d.readingIndex),
        rows.map(([, , d]) => d.receivedAt),
        rows.map(([, , d]) => d.rawPayloadBase64),
        rows.map(([, , d]) => d.rawPayloadBytes),
        rows.map(([, , d]) => d.rawPayloadSha256),
      ],
    )) as { id: string; device_id: string | null; reason: string; detail: string; received_at: Date }[];
    values.forEach((v) => keptTotal.inc({ reason: v.reason }));
    // Every row of the batch, kept before or now (a redelivery after a failed raise raises again; the keys make it once).
    await this.health.onDeadLetters(kept.map((k) => ({ id: k.id, deviceId: k.device_id, reason: k.reason, detail: k.detail, receivedAt: k.received_at.toISOString() })));
  }
}
