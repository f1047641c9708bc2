import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A dead letter's identity is its content, not its Kafka (partition, offset): offsets start again
 * when a topic is re-created or the cluster replaced, and a new dead letter at an old offset was
 * taken for the old one and never kept. `record_sha256` hashes the fields a redelivery repeats
 * (the same expression as DeadLetterConsumer's insert).
 */
export class DeadLetterIdentity1764401300000 implements MigrationInterface {
  name = 'DeadLetterIdentity1764401300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dead_letters ADD COLUMN record_sha256 text`);
    await q.query(`
      UPDATE dead_letters SET record_sha256 = encode(sha256(convert_to(concat_ws('|', reason, detail, device_id, mqtt_topic, message_id,
        reading_index::text, (extract(epoch FROM received_at) * 1000)::bigint::text, raw_payload_sha256), 'UTF8')), 'hex')`);
    // Copies kept twice under different offsets (a topic replayed): the oldest stays.
    await q.query(`DELETE FROM dead_letters d USING dead_letters o WHERE d.record_sha256 = o.record_sha256 AND d.id > o.id`);
    await q.query(`ALTER TABLE dead_letters ALTER COLUMN record_sha256 SET NOT NULL`);
    await q.query(`ALTER TABLE dead_letters DROP CONSTRAINT dead_letters_kafka_partition_kafka_offset_key`);
    await q.query(`CREATE UNIQUE INDEX dead_letters_record ON dead_letters (record_sha256)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX dead_letters_record`);
    await q.query(`ALTER TABLE dead_letters DROP COLUMN record_sha256`);
    await q.query(`ALTER TABLE dead_letters ADD CONSTRAINT dead_letters_kafka_partition_kafka_offset_key UNIQUE (kafka_partition, kafka_offset)`);
  }
}
