import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 3: patients carry their protocol overrides (with provenance); alerts carry the rules
 * engine's explanation, the number of breaches merged into them, and when the engine saw the
 * values return to normal.
 */
export class ExplainedAlertsAndOverrides1764400000000 implements MigrationInterface {
  name = 'ExplainedAlertsAndOverrides1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE patients ADD COLUMN protocol_overrides jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`
      ALTER TABLE alerts
        ADD COLUMN explanation jsonb,
        ADD COLUMN breaches integer NOT NULL DEFAULT 1 CHECK (breaches > 0),
        ADD COLUMN returned_to_normal_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alerts DROP COLUMN returned_to_normal_at, DROP COLUMN breaches, DROP COLUMN explanation`);
    await q.query(`ALTER TABLE patients DROP COLUMN protocol_overrides`);
  }
}
