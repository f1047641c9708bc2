import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DQ-03's resend probe (same patient, code and value within 60 s) walked every reading of the
 * patient's code in the window on the (patient, code, time) index and read each from the heap:
 * some 60 rows per component for a device sending every second, 55 % of the insert's time. An
 * index led by the value finds the few that match. It takes the place of the primary key
 * (device, message, code, measured_at): no service query reads by it, and the natural key is unique in
 * observation_keys, which every insert passes first (measured_at in the primary key, which a
 * partitioned table needs, let a resend with a new measuredAt through anyway). Same index count
 * per row; docs/performance.md has the figures.
 *
 * Both statements lock observations. On a large table, build the index partition by partition
 * (CREATE INDEX CONCURRENTLY on each, then on the parent ONLY and ATTACH) before running this.
 */
export class ObservationResendProbeIndex1764401600000 implements MigrationInterface {
  name = 'ObservationResendProbeIndex1764401600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS observations_resend_probe ON observations (patient_id, code, value, measured_at)`);
    await q.query(`ALTER TABLE observations DROP CONSTRAINT observations_pkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE observations ADD PRIMARY KEY (device_id, message_id, code, measured_at)`);
    await q.query(`DROP INDEX IF EXISTS observations_resend_probe`);
  }
}
