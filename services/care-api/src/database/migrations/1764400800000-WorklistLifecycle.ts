import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_DISPOSITIONS } from '@rpm/contracts';

/**
 * The worklist lifecycle of issue 4: assignment, notes, snoozes per (patient, rule), acknowledgement
 * targets with escalation, configurable dispositions, care teams with members, and where an audited
 * request came from.
 */
export class WorklistLifecycle1764400800000 implements MigrationInterface {
  name = 'WorklistLifecycle1764400800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE alerts
        ADD COLUMN assigned_to text,
        ADD COLUMN assigned_at timestamptz,
        ADD COLUMN snoozed_until timestamptz,
        ADD COLUMN acknowledge_by timestamptz,
        ADD COLUMN escalated_at timestamptz,
        ADD COLUMN escalated_to text`);
    // Alerts raised before targets existed: the default targets (high 30 min, medium 4 h, low 24 h).
    await q.query(`
      UPDATE alerts SET acknowledge_by = raised_at + CASE severity WHEN 'high' THEN interval '30 minutes'
                                                                  WHEN 'medium' THEN interval '4 hours'
                                                                  ELSE interval '24 hours' END`);
    await q.query(`ALTER TABLE alerts ALTER COLUMN acknowledge_by SET NOT NULL`);
    await q.query(`CREATE INDEX alerts_escalation_due ON alerts (acknowledge_by) WHERE status = 'open' AND escalated_at IS NULL`);
    await q.query(`CREATE INDEX alerts_assigned_to ON alerts (assigned_to) WHERE status <> 'resolved'`);

    await q.query(`
      CREATE TABLE alert_notes (
        id uuid PRIMARY KEY,
        alert_id uuid NOT NULL REFERENCES alerts (id),
        author text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX alert_notes_alert ON alert_notes (alert_id, created_at)`);

    await q.query(`
      CREATE TABLE alert_snoozes (
        id uuid PRIMARY KEY,
        patient_id uuid NOT NULL REFERENCES patients (id),
        rule_id text NOT NULL,
        alert_id uuid NOT NULL REFERENCES alerts (id),
        until timestamptz NOT NULL,
        severity_rank smallint NOT NULL,
        baseline jsonb NOT NULL,
        reason text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        end_reason text CHECK (end_reason IN ('expired', 'worse', 'cancelled')),
        ended_by text)`);
    // At most one live snooze per (patient, rule).
    await q.query(`CREATE UNIQUE INDEX alert_snoozes_live ON alert_snoozes (patient_id, rule_id) WHERE ended_at IS NULL`);
    await q.query(`CREATE INDEX alert_snoozes_due ON alert_snoozes (until) WHERE ended_at IS NULL`);

    await q.query(`
      CREATE TABLE dispositions (
        code text PRIMARY KEY,
        label text NOT NULL,
        category text NOT NULL CHECK (category IN ('clinical', 'measurement_error', 'no_action', 'other')),
        active boolean NOT NULL DEFAULT true,
        sort_order int NOT NULL DEFAULT 100,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL DEFAULT 'migration')`);
    for (const [i, d] of DEFAULT_DISPOSITIONS.entries()) {
      await q.query(`INSERT INTO dispositions (code, label, category, sort_order) VALUES ($1, $2, $3, $4)`, [d.code, d.label, d.category, (i + 1) * 10]);
    }

    await q.query(`
      CREATE TABLE care_teams (
        id text PRIMARY KEY,
        name text NOT NULL,
        escalation_contact text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`INSERT INTO care_teams (id, name) VALUES ('default', 'Default care team')`);
    await q.query(`
      CREATE TABLE care_team_members (
        team_id text NOT NULL REFERENCES care_teams (id) ON DELETE CASCADE,
        user_id text NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        added_by text NOT NULL,
        PRIMARY KEY (team_id, user_id))`);
    await q.query(`CREATE INDEX care_team_members_user ON care_team_members (user_id)`);

    await q.query(`ALTER TABLE audit_log ADD COLUMN source_ip text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log DROP COLUMN source_ip`);
    await q.query(`DROP TABLE care_team_members`);
    await q.query(`DROP TABLE care_teams`);
    await q.query(`DROP TABLE dispositions`);
    await q.query(`DROP TABLE alert_snoozes`);
    await q.query(`DROP TABLE alert_notes`);
    await q.query(`DROP INDEX alerts_assigned_to`);
    await q.query(`DROP INDEX alerts_escalation_due`);
    await q.query(`
      ALTER TABLE alerts DROP COLUMN assigned_to, DROP COLUMN assigned_at, DROP COLUMN snoozed_until,
        DROP COLUMN acknowledge_by, DROP COLUMN escalated_at, DROP COLUMN escalated_to`);
  }
}
