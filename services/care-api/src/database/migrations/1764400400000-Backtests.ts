import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Backtest jobs of protocol drafts (issue 5): progress while running, the comparison when done. */
export class Backtests1764400400000 implements MigrationInterface {
  name = 'Backtests1764400400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE backtests (
        id          uuid PRIMARY KEY,
        programme   text        NOT NULL,
        version     integer     NOT NULL,
        status      text        NOT NULL CHECK (status IN ('running', 'done', 'cancelled', 'failed')),
        period_from timestamptz NOT NULL,
        period_to   timestamptz NOT NULL,
        done        integer     NOT NULL DEFAULT 0,
        total       integer     NOT NULL,
        result      jsonb,
        error       text,
        created_by  text        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE backtests`);
  }
}
