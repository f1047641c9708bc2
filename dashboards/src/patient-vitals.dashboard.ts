import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import { DashboardBuilder, type Dashboard, type Panel, QueryVariableBuilder, VariableRefresh, VariableSort } from '@grafana/grafana-foundation-sdk/dashboard';
import { LOINC, UCUM } from '@rpm/vitals';
import { datasourceRef, datasourceVariable, POSTGRES } from './datasources';
import { finish, HALF, sqlGraph, sqlTable, type SqlSpec } from './panels';
import { thresholdSql } from './vital-thresholds';

/** The patient variable as a uuid; an empty selection (no patients yet) matches nothing instead of failing the cast. */
const PATIENT = `NULLIF('$patient', '')::uuid`;

/** The patient picker: MRN shown, id used. Also run by the integration test. */
export const PATIENT_VARIABLE_SQL = `SELECT p.mrn AS __text, p.id::text AS __value FROM patients p ORDER BY p.mrn`;

interface Vital {
  readonly title: string;
  /** Grafana's unit id for the axis. */
  readonly unit: string;
  readonly canonicalUnit: string;
  /** Component codes drawn in the panel, with their series names. */
  readonly components: Readonly<Record<string, string>>;
  readonly thresholds: boolean;
  readonly note?: string;
}

const VITALS: readonly Vital[] = [
  { title: 'Blood pressure', unit: 'mmHg', canonicalUnit: UCUM.mmHg, components: { [LOINC.systolic]: 'systolic', [LOINC.diastolic]: 'diastolic' }, thresholds: true },
  { title: 'Heart rate', unit: 'bpm', canonicalUnit: UCUM.perMinute, components: { [LOINC.heartRate]: 'heart rate' }, thresholds: true },
  { title: 'SpO2', unit: 'percent', canonicalUnit: UCUM.percent, components: { [LOINC.spo2]: 'SpO2' }, thresholds: true },
  { title: 'Respiratory rate', unit: 'short', canonicalUnit: UCUM.perMinute, components: { [LOINC.respiratoryRate]: 'respiratory rate' }, thresholds: true },
  { title: 'Temperature', unit: 'celsius', canonicalUnit: UCUM.celsius, components: { [LOINC.bodyTemperature]: 'temperature' }, thresholds: true },
  { title: 'Glucose', unit: 'mg/dL', canonicalUnit: UCUM.mgPerDl, components: { [LOINC.glucose]: 'glucose' }, thresholds: true },
  {
    title: 'Weight',
    unit: 'masskg',
    canonicalUnit: UCUM.kg,
    components: { [LOINC.bodyWeight]: 'weight' },
    thresholds: false,
    note: 'Weight has no single-reading threshold: the heart-failure rules judge its change over days (trends), which this chart does not draw.',
  },
];

const sqlText = (s: string): string => `'${s.replace(/'/g, "''")}'`;

function readingsSpec(vital: Vital): SqlSpec {
  const names = Object.entries(vital.components).map(([code, name]) => `(${sqlText(code)}, ${sqlText(name)})`);
  return {
    sql: `SELECT o.measured_at AS time, c.name AS metric, o.value AS value
FROM observations o JOIN (VALUES ${names.join(', ')}) AS c(code, name) ON c.code = o.code
WHERE o.patient_id = ${PATIENT} AND $__timeFilter(o.measured_at) ORDER BY 1`,
    format: 'time_series',
    columns: { time: 'time', metric: 'text', value: 'number' },
  };
}

function vitalPanel(vital: Vital): cog.Builder<Panel> {
  const codes = Object.keys(vital.components);
  const specs: SqlSpec[] = [readingsSpec(vital)];
  if (vital.thresholds) specs.push({ sql: thresholdSql(codes, vital.canonicalUnit, PATIENT), format: 'time_series', columns: { time: 'time', metric: 'text', value: 'number' } });
  const description = vital.thresholds
    ? `Every stored reading (canonical unit ${vital.canonicalUnit}, measured time). Dashed: the thresholds of the default rules that apply to this patient's programmes and SpO2 scale, each labelled rule, comparator, value; a threshold override of the patient (same rule and parameter, canonical unit) replaces the default and an enabled/disabled override switches the rule. Published programme protocol versions and overrides given in other units are not drawn: the patient's protocol page in the worklist UI is authoritative.`
    : `Every stored reading (canonical unit ${vital.canonicalUnit}, measured time). ${vital.note ?? ''}`;
  return sqlGraph(vital.title, description, vital.unit, specs, HALF)
    .showPoints(common.VisibilityMode.Always)
    .pointSize(5)
    .spanNulls(true)
    .fillOpacity(0)
    .overrideByRegexp('^[A-Z]{2}-\\d{2}', [
      { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
      { id: 'custom.showPoints', value: 'never' },
      { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
    ]);
}

const alertsTable = sqlTable('Alerts for this patient', 'Alerts raised in the time range, newest first.', {
  sql: `SELECT a.raised_at AS "raised", a.rule_id AS "rule", a.severity AS "severity", a.status AS "status", a.summary AS "summary"
FROM alerts a WHERE a.patient_id = ${PATIENT} AND $__timeFilter(a.raised_at) ORDER BY a.raised_at DESC LIMIT 200`,
  format: 'table',
  columns: { raised: 'time', rule: 'text', severity: 'text', status: 'text', summary: 'text' },
});

export function patientVitalsDashboard(): Dashboard {
  const builder = new DashboardBuilder('RPM patient vitals')
    .uid('rpm-patient-vitals')
    .description(
      "One patient's readings over time, each vital with the thresholds of the default rules (CLINICAL.md section 0, taken from libs/clinical-rules DEFAULT_RULES when the dashboard is generated) that apply to the patient, and the patient's own threshold overrides from patients.protocol_overrides. Not clinical advice. Generated from dashboards/src (npm run dashboards).",
    )
    .tags(['rpm', 'generated', 'postgresql'])
    .time({ from: 'now-30d', to: 'now' })
    .withVariable(datasourceVariable(POSTGRES, 'PostgreSQL'))
    .withVariable(
      new QueryVariableBuilder('patient')
        .label('Patient (MRN)')
        .datasource(datasourceRef(POSTGRES))
        .query(PATIENT_VARIABLE_SQL)
        .refresh(VariableRefresh.OnDashboardLoad)
        .sort(VariableSort.AlphabeticalAsc),
    );
  for (const vital of VITALS) builder.withPanel(vitalPanel(vital));
  builder.withPanel(alertsTable);
  return finish(builder);
}
