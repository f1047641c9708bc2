import { randomUUID } from 'node:crypto';
import { Client, type QueryResult } from 'pg';
import { TEST_DATABASE_URL } from '@rpm/testing';
import { DASHBOARDS } from '../src/dashboards';
import { POSTGRES } from '../src/datasources';
import { PATIENT_VARIABLE_SQL } from '../src/patient-vitals.dashboard';
import { expectedColumnsOf, type ColumnKind } from '../src/sql-query';
import { panelTargets } from './dashboard-targets';
import { expandQuery, type QueryContext } from './grafana-macros';

/**
 * Every PostgreSQL query of the generated dashboards, expanded as Grafana would (time macros,
 * $__interval, the patient variable), run against the migrated rpm_test schema holding a
 * little data of this test's own, inside one transaction that is rolled back at the end
 * (nothing is left behind, and concurrent tests never see the rows).
 */
const OID_KINDS: Readonly<Record<ColumnKind, readonly number[]>> = {
  // timestamptz, timestamp, or epoch seconds from $__timeGroup (numeric / double)
  time: [1184, 1114, 1700, 701],
  // int2, int4, int8, float4, float8, numeric
  number: [21, 23, 20, 700, 701, 1700],
  // text, varchar, name
  text: [25, 1043, 19],
};

const HOUR = 3_600_000;
const now = Date.now();
const at = (hoursAgo: number): Date => new Date(now - hoursAgo * HOUR);
const patientId = randomUUID();
const otherPatientId = randomUUID();
const ctx: QueryContext = { from: at(7 * 24), to: new Date(now), interval: '1h', variables: { patient: patientId } };

const sqlTargets = DASHBOARDS.flatMap(({ build }) => panelTargets(build())).filter((t) => t.datasourceType === POSTGRES.type);

describe('PostgreSQL panels against the real schema', () => {
  const db = new Client({ connectionString: TEST_DATABASE_URL });

  async function run(sql: string): Promise<QueryResult> {
    // A savepoint per query: one failing query must not abort the transaction for the rest.
    await db.query('SAVEPOINT panel');
    try {
      return await db.query(expandQuery(sql, ctx));
    } finally {
      await db.query('ROLLBACK TO SAVEPOINT panel');
    }
  }

  beforeAll(async () => {
    await db.connect();
    await db.query('BEGIN');
    const override = (fields: object): object => ({ ...fields, setBy: 'dashboards-test', setAt: new Date(now).toISOString(), version: 2 });
    await db.query(
      `INSERT INTO patients (id, mrn, name, timezone, programs, spo2_scale, care_team_id, protocol_overrides)
       VALUES ($1, $2, 'Dashboard Test', 'Europe/London', '{heart_failure}', 1, 'default', $3), ($4, $5, 'Dashboard Test 2', 'UTC', '{}', 2, 'default', '[]')`,
      [
        patientId,
        `dash-${patientId.slice(0, 8)}`,
        JSON.stringify([
          override({ ruleId: 'HR-01', parameter: 'conditions.0', value: 125, unit: '/min' }),
          override({ ruleId: 'BP-04', enabled: false }),
        ]),
        otherPatientId,
        `dash-${otherPatientId.slice(0, 8)}`,
      ],
    );
    const alert = `INSERT INTO alerts (id, patient_id, rule_id, rule_source, severity, severity_rank, kind, status, summary, threshold, retrospective,
        raised_at, measured_at, updated_at, acknowledge_by, acknowledged_at, escalated_at, resolved_at, disposition)
      VALUES ($1, $2, $3, 'default', $4, $5, 'alert', $6, 'test alert', '>= 131', false, $7, $7, $7, $8, $9, $10, $11, $12)`;
    await db.query(alert, [randomUUID(), patientId, 'HR-01', 'high', 3, 'acknowledged', at(30), at(29.5), at(29.9), null, null, null]);
    await db.query(alert, [randomUUID(), patientId, 'BP-02', 'medium', 2, 'open', at(20), at(16), null, at(15.9), null, null]);
    await db.query(alert, [randomUUID(), otherPatientId, 'AD-01', 'low', 1, 'resolved', at(50), at(2), null, null, at(40), 'reached_patient']);
    const reading = `INSERT INTO observations (patient_id, device_id, message_id, code, panel_code, value, unit, original_value, original_unit, measured_at, measured_at_offset, received_at)
      VALUES ($1, 'dash-dev', $2, $3, $3, $4, $5, $4, $5, $6, '+00:00', $6)`;
    for (const [code, value, unit, hoursAgo] of [
      ['8867-4', 72, '/min', 30],
      ['8867-4', 135, '/min', 28],
      ['8480-6', 150, 'mm[Hg]', 27],
      ['8462-4', 95, 'mm[Hg]', 27],
      ['29463-7', 81.5, 'kg', 26],
    ] as const) {
      await db.query(reading, [patientId, randomUUID(), code, value, unit, at(hoursAgo)]);
    }
    await db.query(
      `INSERT INTO observation_rollups_daily (patient_id, code, bucket, unit, min, max, sum, count)
       VALUES ($1, '8867-4', date_trunc('day', $2::timestamptz), '/min', 72, 135, 207, 2)`,
      [patientId, at(30)],
    );
  });

  afterAll(async () => {
    await db.query('ROLLBACK').catch(() => undefined);
    await db.end();
  });

  it('covers every SQL target of the generated dashboards', () => {
    expect(sqlTargets.length).toBeGreaterThanOrEqual(20);
  });

  it.each(sqlTargets.map((t) => [`${t.dashboard} / ${t.panel} / ${String(t.target['refId'])}`, String(t.target['rawSql']), String(t.target['format'])] as const))(
    '%s returns the columns its panel expects',
    async (_name, sql, format) => {
      const expected = expectedColumnsOf(sql);
      expect(expected).toBeDefined();
      const result = await run(sql);
      expect(result.fields.map((f) => f.name).sort()).toEqual(Object.keys(expected!).sort());
      for (const field of result.fields) {
        const kind = expected![field.name]!;
        expect({ column: field.name, kind, ok: OID_KINDS[kind].includes(field.dataTypeID) }).toEqual({ column: field.name, kind, ok: true });
      }
      if (format === 'time_series') {
        const times = result.rows.map((r: Record<string, unknown>) => Number(r['time'] instanceof Date ? r['time'].getTime() / 1000 : r['time']));
        expect(times).toEqual([...times].sort((a, b) => a - b)); // Grafana wants time series sorted by time
      }
    },
  );

  const rowsOf = async (dashboard: string, panel: string, refId = 'A'): Promise<Record<string, unknown>[]> => {
    const target = sqlTargets.find((t) => t.dashboard === dashboard && t.panel === panel && t.target['refId'] === refId);
    if (!target) throw new Error(`no panel ${dashboard} / ${panel} / ${refId}`);
    return (await run(String(target.target['rawSql']))).rows as Record<string, unknown>[];
  };

  it("draws the patient's thresholds: programme rules, a threshold override applied, a disabled rule gone", async () => {
    const lines = (rows: Record<string, unknown>[]): string[] => [...new Set(rows.map((r) => String(r['metric'])))].sort();
    expect(lines(await rowsOf('RPM patient vitals', 'Heart rate', 'B'))).toEqual(['HR-01 <= 40', 'HR-01 >= 125', 'HR-02 < 50', 'HR-02 > 110']);
    const bp = lines(await rowsOf('RPM patient vitals', 'Blood pressure', 'B'));
    expect(bp).toContain('BP-01 > 180');
    expect(bp.some((l) => l.startsWith('BP-04'))).toBe(false);
    // Glucose rules are for the diabetes programme only: none for this heart-failure patient.
    expect(await rowsOf('RPM patient vitals', 'Glucose', 'B')).toEqual([]);
  });

  it("shows the patient's readings and alerts", async () => {
    expect((await rowsOf('RPM patient vitals', 'Heart rate')).map((r) => r['value'])).toEqual([72, 135]);
    expect((await rowsOf('RPM patient vitals', 'Blood pressure')).map((r) => r['metric']).sort()).toEqual(['diastolic', 'systolic']);
    expect((await rowsOf('RPM patient vitals', 'Alerts for this patient')).map((r) => r['rule'])).toEqual(['BP-02', 'HR-01']);
  });

  it('counts alerts per programme, time to acknowledge and adherence from the same rows', async () => {
    const perProgramme = await rowsOf('RPM clinical operations', 'Alert burden by rule and programme');
    expect(perProgramme).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'HR-01', programme: 'heart_failure' }), expect.objectContaining({ rule: 'AD-01', programme: 'none' })]));
    const highAck = (await rowsOf('RPM clinical operations', 'Acknowledgement by severity')).find((r) => r['severity'] === 'high');
    expect(highAck?.['median to acknowledge']).toEqual(expect.any(Number));
    const adherence = await rowsOf('RPM clinical operations', 'Adherence by programme');
    expect(adherence.map((r) => r['programme'])).toEqual(expect.arrayContaining(['heart_failure', 'none']));
  });

  it('lists patients for the patient variable (MRN shown, id as the value)', async () => {
    const result = await run(PATIENT_VARIABLE_SQL);
    expect(result.fields.map((f) => f.name)).toEqual(['__text', '__value']);
    expect(result.rows).toContainEqual({ __text: `dash-${patientId.slice(0, 8)}`, __value: patientId });
  });
});
