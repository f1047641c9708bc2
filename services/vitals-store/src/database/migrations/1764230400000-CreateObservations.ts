import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The time series: one row per (device, message, component code), range-partitioned by
 * measurement time. The primary key is the natural key plus the partition key, which
 * PostgreSQL requires; a resend reuses messageId and measuredAt, so it conflicts.
 */
export class CreateObservations1764230400000 implements MigrationInterface {
  name = 'CreateObservations1764230400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE observations (
        patient_id          uuid             NOT NULL,
        device_id           text             NOT NULL,
        message_id          text             NOT NULL,
        code                text             NOT NULL,
        panel_code          text             NOT NULL,
        value               double precision NOT NULL,
        unit                text             NOT NULL,
        original_value      double precision NOT NULL,
        original_unit       text             NOT NULL,
        measured_at         timestamptz      NOT NULL,
        measured_at_offset  text             NOT NULL,
        received_at         timestamptz      NOT NULL,
        stored_at           timestamptz      NOT NULL DEFAULT now(),
        PRIMARY KEY (device_id, message_id, code, measured_at)
      ) PARTITION BY RANGE (measured_at)`);
    await q.query(`CREATE INDEX observations_patient_code_time ON observations (patient_id, code, measured_at)`);
    // Readings outside every monthly partition (a device clock reset to 2021) land here.
    await q.query(`CREATE TABLE observations_default PARTITION OF observations DEFAULT`);
    // Creates missing monthly partitions; a month whose rows already sit in the default
    // partition is left there (creating it would fail) and reported as a notice.
    await q.query(`
      CREATE FUNCTION rpm_ensure_observation_partitions(first_month date, months int) RETURNS int
      LANGUAGE plpgsql AS $$
      DECLARE
        m date;
        created int := 0;
        name text;
      BEGIN
        FOR i IN 0 .. months - 1 LOOP
          m := (date_trunc('month', first_month) + make_interval(months => i))::date;
          name := 'observations_' || to_char(m, 'YYYY_MM');
          IF to_regclass(name) IS NULL THEN
            BEGIN
              EXECUTE format('CREATE TABLE %I PARTITION OF observations FOR VALUES FROM (%L) TO (%L)',
                             name, (m::timestamp AT TIME ZONE 'UTC'), ((m + interval '1 month')::timestamp AT TIME ZONE 'UTC'));
              created := created + 1;
            EXCEPTION WHEN check_violation THEN
              RAISE NOTICE 'rows for % are in observations_default; partition not created', name;
            END;
          END IF;
        END LOOP;
        RETURN created;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION rpm_ensure_observation_partitions(date, int)`);
    await q.query(`DROP TABLE observations`);
  }
}
