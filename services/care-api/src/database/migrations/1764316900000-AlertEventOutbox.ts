import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Transactional outbox for rpm.alert-events.v1: an alert change and its event commit
 * together; a relay publishes the events and deletes them once Kafka acknowledged.
 */
export class AlertEventOutbox1764316900000 implements MigrationInterface {
  name = 'AlertEventOutbox1764316900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_event_outbox (
        id         bigserial PRIMARY KEY,
        event      jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alert_event_outbox`);
  }
}
