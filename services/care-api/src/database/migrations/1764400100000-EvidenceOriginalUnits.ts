import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Alert evidence keeps what the device sent (183.5 lb) next to the canonical value (83.2 kg). */
export class EvidenceOriginalUnits1764400100000 implements MigrationInterface {
  name = 'EvidenceOriginalUnits1764400100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alert_evidence ADD COLUMN original_value double precision, ADD COLUMN original_unit text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alert_evidence DROP COLUMN original_unit, DROP COLUMN original_value`);
  }
}
