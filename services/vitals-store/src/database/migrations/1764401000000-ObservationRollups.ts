import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hourly and daily rollups (min, max, sum, count per patient, code and UTC bucket), kept current
 * by the same statement that stores new readings, late ones included; filled here from what is
 * stored already. Mean is sum / count, so a bucket can take more readings without re-reading any.
 */
export class ObservationRollups1764401000000 implements MigrationInterface {
  name = 'ObservationRollups1764401000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, unit] of [['observation_rollups_hourly', 'hour'], ['observation_rollups_daily', 'day']] as const) {
      await q.query(`
        CREATE TABLE ${table} (
          patient_id uuid             NOT NULL,
          code       text             NOT NULL,
          bucket     timestamptz      NOT NULL,
          unit       text             NOT NULL,
          min        double precision NOT NULL,
          max        double precision NOT NULL,
          sum        double precision NOT NULL,
          count      int              NOT NULL,
          PRIMARY KEY (patient_id, code, bucket)
        )`);
      await q.query(`
        INSERT INTO ${table} (patient_id, code, bucket, unit, min, max, sum, count)
        SELECT patient_id, code, date_trunc('${unit}', measured_at, 'UTC'), min(unit), min(value), max(value), sum(value), count(*)
          FROM observations GROUP BY 1, 2, 3`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE observation_rollups_daily`);
    await q.query(`DROP TABLE observation_rollups_hourly`);
  }
}
