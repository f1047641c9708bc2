import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change of a patient's overrides as a version (issue 5): who, why, when, and the list as
 * it became. Version 1 is the patient at enrolment, with no overrides, and has no row.
 */
export class PatientProtocolVersions1764400500000 implements MigrationInterface {
  name = 'PatientProtocolVersions1764400500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE patient_protocol_versions (
        patient_id       uuid        NOT NULL REFERENCES patients (id),
        version          integer     NOT NULL CHECK (version >= 2),
        overrides        jsonb       NOT NULL,
        reason           text        NOT NULL,
        created_by       text        NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        rolled_back_from integer,
        PRIMARY KEY (patient_id, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE patient_protocol_versions`);
  }
}
