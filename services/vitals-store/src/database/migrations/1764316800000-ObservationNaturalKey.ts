import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The natural key of an observation is (device, message, code). The partitioned table's
 * primary key must also hold measured_at, so a resend that reuses its messageId with a
 * different measuredAt (a clock resynchronised in between) would pass it. This small
 * unpartitioned table holds the natural key alone; a row is stored only if its key is new.
 */
export class ObservationNaturalKey1764316800000 implements MigrationInterface {
  name = 'ObservationNaturalKey1764316800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE observation_keys (
        device_id  text NOT NULL,
        message_id text NOT NULL,
        code       text NOT NULL,
        PRIMARY KEY (device_id, message_id, code)
      )`);
    await q.query(`
      INSERT INTO observation_keys (device_id, message_id, code)
      SELECT device_id, message_id, code FROM observations
      ON CONFLICT DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE observation_keys`);
  }
}
