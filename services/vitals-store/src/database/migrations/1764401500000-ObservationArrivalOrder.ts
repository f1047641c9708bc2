import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The order in which readings were consumed from rpm.observations.v1, which is the order the
 * rules engine evaluated them (one partition per patient, read in offset order by both). A
 * backtest replays a patient's readings in this order, so its alert keys match the live ones;
 * received_at cannot give it (equal within a socket read, and a message the gateway held back
 * reaches Kafka after younger ones). Each insert takes one number from the sequence and numbers
 * its rows after it in input order (arrival = batch × 2^24 + position). Rows stored before this
 * migration have none and are ordered by received_at, before every numbered row.
 */
export class ObservationArrivalOrder1764401500000 implements MigrationInterface {
  name = 'ObservationArrivalOrder1764401500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE observation_batches AS bigint`);
    await q.query(`ALTER TABLE observations ADD COLUMN arrival bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE observations DROP COLUMN arrival`);
    await q.query(`DROP SEQUENCE observation_batches`);
  }
}
