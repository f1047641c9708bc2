import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rules engine's episode an alert belongs to: once a nurse resolved the alert, further
 * breaches of the same episode stay quiet for 24 h unless worse (CLINICAL.md 4.2).
 */
export class AlertEpisode1764400200000 implements MigrationInterface {
  name = 'AlertEpisode1764400200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alerts ADD COLUMN episode_opened_at timestamptz`);
    await q.query(`CREATE INDEX alerts_episode ON alerts (patient_id, rule_id, episode_opened_at) WHERE status = 'resolved'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX alerts_episode`);
    await q.query(`ALTER TABLE alerts DROP COLUMN episode_opened_at`);
  }
}
