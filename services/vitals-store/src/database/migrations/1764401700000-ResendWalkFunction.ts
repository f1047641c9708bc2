import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DQ-03 within one insert: the copies of a reading that share a batch, walked in consumption order
 * as the rules engine sees them. A copy is a resend when it repeats a stored reading (`stored`) or
 * one of the last 16 copies kept before it within the window (bounded work; the engine remembers
 * the patient's last 16 readings of any kind: protocols.md lists the difference); a dropped copy is
 * no reference for later ones (the engine remembers only kept readings). Returns, per copy, whether
 * it is dropped. A recursive CTE did the same walk at the cost of the longest group times every
 * repeated panel of the batch (3 s for one wearable's 2,000 unchanged readings); this is linear.
 */
export class ResendWalkFunction1764401700000 implements MigrationInterface {
  name = 'ResendWalkFunction1764401700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION rpm_resend_walk(measured timestamptz[], stored boolean[], window_seconds double precision)
      RETURNS boolean[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      DECLARE
        kept timestamptz[] := '{}';
        dropped boolean[] := '{}';
        resend boolean;
        kept_count int := 0;
      BEGIN
        FOR i IN 1 .. coalesce(array_length(measured, 1), 0) LOOP
          resend := stored[i];
          IF NOT resend THEN
            -- Newest first: a resend usually repeats the copy kept just before it.
            FOR k IN REVERSE kept_count .. 1 LOOP
              IF abs(EXTRACT(EPOCH FROM kept[k] - measured[i])) <= window_seconds THEN
                resend := true;
                EXIT;
              END IF;
            END LOOP;
          END IF;
          dropped := dropped || resend;
          IF NOT resend THEN
            kept := (CASE WHEN kept_count = 16 THEN kept[2:16] ELSE kept END) || measured[i];
            kept_count := least(kept_count + 1, 16);
          END IF;
        END LOOP;
        RETURN dropped;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS rpm_resend_walk(timestamptz[], boolean[], double precision)`);
  }
}
