import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Versions of the programme protocols (issue 5): drafts, scheduled and published versions with
 * author, reason and time. Version 1 of every programme is the rules library's default and has
 * no row; at most one version of a programme is published.
 */
export class ProtocolVersions1764400300000 implements MigrationInterface {
  name = 'ProtocolVersions1764400300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE protocol_versions (
        programme        text        NOT NULL,
        version          integer     NOT NULL CHECK (version >= 2),
        status           text        NOT NULL CHECK (status IN ('draft', 'scheduled', 'published', 'superseded')),
        settings         jsonb       NOT NULL,
        reason           text        NOT NULL,
        created_by       text        NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        effective_at     timestamptz,
        published_at     timestamptz,
        published_by     text,
        rolled_back_from integer,
        PRIMARY KEY (programme, version)
      )`);
    await q.query(`CREATE UNIQUE INDEX protocol_versions_one_published ON protocol_versions (programme) WHERE status = 'published'`);
    await q.query(`CREATE INDEX protocol_versions_due ON protocol_versions (effective_at) WHERE status = 'scheduled'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE protocol_versions`);
  }
}
