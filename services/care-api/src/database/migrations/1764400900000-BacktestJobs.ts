import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Backtests of a patient's draft overrides beside those of programme versions, and jobs that
 * several care-api instances share: a cancel request any instance can make (the running instance
 * reads it), and a heartbeat, so only jobs whose instance stopped are marked failed.
 */
export class BacktestJobs1764400900000 implements MigrationInterface {
  name = 'BacktestJobs1764400900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE backtests
        ALTER COLUMN programme DROP NOT NULL,
        ALTER COLUMN version DROP NOT NULL,
        ADD COLUMN patient_id uuid REFERENCES patients (id),
        ADD COLUMN draft_overrides jsonb,
        ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false,
        ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`ALTER TABLE backtests ADD CONSTRAINT backtests_subject CHECK ((programme IS NOT NULL AND version IS NOT NULL) <> (patient_id IS NOT NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM backtests WHERE patient_id IS NOT NULL`);
    await q.query(`
      ALTER TABLE backtests DROP CONSTRAINT backtests_subject,
        DROP COLUMN heartbeat_at, DROP COLUMN cancel_requested, DROP COLUMN draft_overrides, DROP COLUMN patient_id,
        ALTER COLUMN version SET NOT NULL, ALTER COLUMN programme SET NOT NULL`);
  }
}
