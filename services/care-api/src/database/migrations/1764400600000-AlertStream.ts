import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The worklist's event stream (issue 4, real time): every alert event, numbered, with the care team
 * it belongs to, written in the transaction of the change. Screens follow it by number and resume
 * after a reconnect from the last number they saw (Last-Event-ID). Kept for 7 days.
 */
export class AlertStream1764400600000 implements MigrationInterface {
  name = 'AlertStream1764400600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_stream (
        id           bigserial   PRIMARY KEY,
        patient_id   uuid        NOT NULL,
        care_team_id text        NOT NULL,
        event        jsonb       NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX alert_stream_created ON alert_stream (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alert_stream`);
  }
}
