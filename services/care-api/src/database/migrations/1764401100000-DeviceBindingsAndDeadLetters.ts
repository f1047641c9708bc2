import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 7: a device's binding history (a reading is the patient's whose period holds its
 * measuredAt), and the dead-lettered and quarantined readings that operators list and replay.
 */
export class DeviceBindingsAndDeadLetters1764401100000 implements MigrationInterface {
  name = 'DeviceBindingsAndDeadLetters1764401100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE device_bindings (
        id bigserial PRIMARY KEY,
        device_id text NOT NULL REFERENCES devices (device_id),
        patient_id uuid NOT NULL REFERENCES patients (id),
        valid_from timestamptz,
        valid_to timestamptz,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from < valid_to))`);
    await q.query(`CREATE INDEX device_bindings_device ON device_bindings (device_id, id)`);
    // At most one open binding per device.
    await q.query(`CREATE UNIQUE INDEX device_bindings_open ON device_bindings (device_id) WHERE valid_to IS NULL`);
    // Devices registered before histories were bound for all time.
    await q.query(`INSERT INTO device_bindings (device_id, patient_id, valid_from, valid_to, created_by, created_at)
                   SELECT device_id, patient_id, NULL, NULL, 'migration', created_at FROM devices`);

    await q.query(`
      CREATE TABLE dead_letters (
        id bigserial PRIMARY KEY,
        kafka_partition int NOT NULL,
        kafka_offset bigint NOT NULL,
        reason text NOT NULL,
        detail text NOT NULL,
        device_id text,
        mqtt_topic text NOT NULL,
        message_id text,
        reading_index int,
        received_at timestamptz NOT NULL,
        raw_payload_base64 text NOT NULL,
        raw_payload_bytes int NOT NULL,
        raw_payload_sha256 text NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'replayed')),
        replayed_at timestamptz,
        replayed_by text,
        replay_outcome jsonb,
        UNIQUE (kafka_partition, kafka_offset))`);
    await q.query(`CREATE INDEX dead_letters_device ON dead_letters (device_id, id)`);
    await q.query(`CREATE INDEX dead_letters_reason ON dead_letters (reason, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dead_letters`);
    await q.query(`DROP TABLE device_bindings`);
  }
}
