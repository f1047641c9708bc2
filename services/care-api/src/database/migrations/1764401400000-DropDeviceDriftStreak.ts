import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * device_status.drift_streak counted status records with a clock far off; DV-02 now comes from
 * readings refused for a clock ahead (a late backlog looks like a slow clock), so nothing reads it.
 */
export class DropDeviceDriftStreak1764401400000 implements MigrationInterface {
  name = 'DropDeviceDriftStreak1764401400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE device_status DROP COLUMN drift_streak`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE device_status ADD COLUMN drift_streak int NOT NULL DEFAULT 0`);
  }
}
