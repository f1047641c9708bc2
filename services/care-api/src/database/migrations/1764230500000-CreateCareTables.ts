import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCareTables1764230500000 implements MigrationInterface {
  name = 'CreateCareTables1764230500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE patients (
        id            uuid PRIMARY KEY,
        mrn           text NOT NULL UNIQUE,
        name          text NOT NULL,
        timezone      text NOT NULL,
        programs      text[] NOT NULL,
        spo2_scale    smallint NOT NULL CHECK (spo2_scale IN (1, 2)),
        care_team_id  text NOT NULL,
        protocol_version int NOT NULL DEFAULT 1,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX patients_care_team ON patients (care_team_id)`);
    await q.query(`
      CREATE TABLE devices (
        device_id     text PRIMARY KEY,
        patient_id    uuid NOT NULL REFERENCES patients (id),
        kind          text NOT NULL,
        password_hash text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX devices_patient ON devices (patient_id)`);
    await q.query(`
      CREATE TABLE alerts (
        id              uuid PRIMARY KEY,
        patient_id      uuid NOT NULL REFERENCES patients (id),
        rule_id         text NOT NULL,
        rule_source     text NOT NULL,
        severity        text NOT NULL CHECK (severity IN ('high', 'medium', 'low')),
        severity_rank   smallint NOT NULL,
        kind            text NOT NULL CHECK (kind IN ('alert', 'recheck')),
        status          text NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
        summary         text NOT NULL,
        threshold       text NOT NULL,
        retrospective   boolean NOT NULL,
        raised_at       timestamptz NOT NULL,
        measured_at     timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        acknowledged_at timestamptz,
        acknowledged_by text,
        resolved_at     timestamptz,
        resolved_by     text,
        disposition     text,
        note            text
      )`);
    // One live worklist item per (patient, rule): a new breach updates it.
    await q.query(`CREATE UNIQUE INDEX alerts_one_live_per_rule ON alerts (patient_id, rule_id) WHERE status <> 'resolved'`);
    // The worklist order: most severe first, then oldest.
    await q.query(`CREATE INDEX alerts_worklist ON alerts (status, severity_rank DESC, raised_at, id)`);
    await q.query(`CREATE INDEX alerts_patient ON alerts (patient_id, raised_at)`);
    await q.query(`
      CREATE TABLE alert_evidence (
        -- alert_key: the rules engine's deterministic key; a replayed alert finds it here.
        alert_key      uuid NOT NULL,
        alert_id       uuid NOT NULL REFERENCES alerts (id),
        observation_id text NOT NULL,
        code           text NOT NULL,
        value          double precision NOT NULL,
        unit           text NOT NULL,
        measured_at    timestamptz NOT NULL,
        component      smallint NOT NULL,
        PRIMARY KEY (alert_key, component)
      )`);
    await q.query(`CREATE INDEX alert_evidence_alert ON alert_evidence (alert_id, measured_at)`);
    await q.query(`
      CREATE TABLE audit_log (
        id            bigserial PRIMARY KEY,
        at            timestamptz NOT NULL DEFAULT now(),
        actor         text NOT NULL,
        role          text NOT NULL,
        action        text NOT NULL,
        resource_type text NOT NULL,
        resource_id   text,
        patient_id    uuid,
        outcome       smallint NOT NULL
      )`);
    await q.query(`CREATE INDEX audit_log_patient ON audit_log (patient_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log, alert_evidence, alerts, devices, patients`);
  }
}
