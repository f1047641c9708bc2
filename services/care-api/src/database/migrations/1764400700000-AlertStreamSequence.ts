import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stream numbers in commit order. A bigserial id is taken at insert time, but transactions commit
 * in another order: a screen that saw event 11 could miss event 10, committed later. Each row now
 * records its transaction; a single sequencer numbers (`seq`) only rows whose transaction, and
 * every transaction older than it, has ended, so numbers grow in the order events become visible.
 */
export class AlertStreamSequence1764400700000 implements MigrationInterface {
  name = 'AlertStreamSequence1764400700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alert_stream ADD COLUMN tx xid8 NOT NULL DEFAULT pg_current_xact_id(), ADD COLUMN seq bigint`);
    await q.query(`CREATE UNIQUE INDEX alert_stream_seq ON alert_stream (seq)`);
    await q.query(`CREATE INDEX alert_stream_unsequenced ON alert_stream (id) WHERE seq IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX alert_stream_unsequenced`);
    await q.query(`DROP INDEX alert_stream_seq`);
    await q.query(`ALTER TABLE alert_stream DROP COLUMN seq, DROP COLUMN tx`);
  }
}
