import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import { DashboardBuilder, type Dashboard, type Panel, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { ADHERENCE_RULE_PREFIXES } from '@rpm/contracts';
import { datasourceVariable, POSTGRES } from './datasources';
import { finish, HALF, sqlGraph, sqlStat, sqlTable, THIRD, warnAbove } from './panels';

/** The worklist's adherence queue, from the contract, so the dashboard and care-api never disagree. */
const ADHERENCE_RULE = `(${ADHERENCE_RULE_PREFIXES.map((p) => `a.rule_id LIKE '${p}%'`).join(' OR ')})`;
/** A patient in no programme still counts, under "none". */
const PROGRAMME = `unnest(CASE WHEN cardinality(p.programs) = 0 THEN ARRAY['none'] ELSE p.programs END)`;
const SECONDS_TO_ACKNOWLEDGE = 'extract(epoch FROM a.acknowledged_at - a.raised_at)::float8';
/** Buckets of at least an hour: alert counts per minute are mostly zeros. */
const MIN_BUCKET = '1h';

const volume = [
  sqlGraph('Alerts raised per rule', 'Alerts raised in each interval (first breach of an episode; later breaches add evidence to the same alert).', 'short', [
    {
      sql: `SELECT $__timeGroupAlias(a.raised_at, $__interval), a.rule_id AS metric, count(*)::float8 AS value
FROM alerts a WHERE $__timeFilter(a.raised_at) GROUP BY 1, 2 ORDER BY 1`,
      format: 'time_series',
      columns: { time: 'time', metric: 'text', value: 'number' },
    },
  ], HALF).interval(MIN_BUCKET).drawStyle(common.GraphDrawStyle.Bars).stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal)),
  sqlGraph('Alerts raised per programme', 'An alert counts once for each programme of its patient (a patient in two programmes counts in both).', 'short', [
    {
      sql: `SELECT $__timeGroupAlias(a.raised_at, $__interval), programme AS metric, count(*)::float8 AS value
FROM alerts a JOIN patients p ON p.id = a.patient_id CROSS JOIN LATERAL ${PROGRAMME} AS programme
WHERE $__timeFilter(a.raised_at) GROUP BY 1, 2 ORDER BY 1`,
      format: 'time_series',
      columns: { time: 'time', metric: 'text', value: 'number' },
    },
  ], HALF).interval(MIN_BUCKET).drawStyle(common.GraphDrawStyle.Bars).stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal)),
  sqlTable('Alert burden by rule and programme', 'Alerts raised in the time range, the high-severity ones among them, and how many patients they concern.', {
    sql: `SELECT a.rule_id AS "rule", programme AS "programme", count(*) AS "alerts",
  count(*) FILTER (WHERE a.severity = 'high') AS "high", count(DISTINCT a.patient_id) AS "patients"
FROM alerts a JOIN patients p ON p.id = a.patient_id CROSS JOIN LATERAL ${PROGRAMME} AS programme
WHERE $__timeFilter(a.raised_at) GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`,
    format: 'table',
    columns: { rule: 'text', programme: 'text', alerts: 'number', high: 'number', patients: 'number' },
  }, 24),
];

const response = [
  sqlStat('Open alerts', 'Not yet resolved, snoozed included, clinical and adherence queues.', 'short', {
    sql: `SELECT count(*) AS "open alerts" FROM alerts a WHERE a.status <> 'resolved'`,
    format: 'table',
    columns: { 'open alerts': 'number' },
  }),
  sqlStat('Open past the acknowledgement target', 'Still open (not acknowledged) after acknowledge_by: these have been escalated to the care team contact.', 'short', {
    sql: `SELECT count(*) AS "past target" FROM alerts a WHERE a.status = 'open' AND a.acknowledge_by < now()`,
    format: 'table',
    columns: { 'past target': 'number' },
  }).thresholds(warnAbove(1, 5)),
  sqlStat('Escalations in range', 'Alerts escalated in the time range.', 'short', {
    sql: `SELECT count(*) AS "escalations" FROM alerts a WHERE $__timeFilter(a.escalated_at)`,
    format: 'table',
    columns: { escalations: 'number' },
  }).thresholds(warnAbove(1, 10)),
  sqlGraph('Median time to acknowledge', 'Per severity, for alerts raised in each interval and acknowledged since. Alerts resolved without an acknowledgement are not in it.', 's', [
    {
      sql: `SELECT $__timeGroupAlias(a.raised_at, $__interval), a.severity AS metric,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY ${SECONDS_TO_ACKNOWLEDGE}) AS value
FROM alerts a WHERE $__timeFilter(a.raised_at) AND a.acknowledged_at IS NOT NULL GROUP BY 1, 2 ORDER BY 1`,
      format: 'time_series',
      columns: { time: 'time', metric: 'text', value: 'number' },
    },
  ], HALF).interval('1d').showPoints(common.VisibilityMode.Always),
  sqlGraph('Escalations', 'Alerts left open past their acknowledgement target and escalated, by severity.', 'short', [
    {
      sql: `SELECT $__timeGroupAlias(a.escalated_at, $__interval), a.severity AS metric, count(*)::float8 AS value
FROM alerts a WHERE $__timeFilter(a.escalated_at) GROUP BY 1, 2 ORDER BY 1`,
      format: 'time_series',
      columns: { time: 'time', metric: 'text', value: 'number' },
    },
  ], HALF).interval(MIN_BUCKET).drawStyle(common.GraphDrawStyle.Bars),
  sqlTable('Acknowledgement by severity', 'Alerts raised in the time range: how many were acknowledged, how fast, how many within their target (high 30 min, medium 4 h, low next business day by default) and how many escalated.', {
    sql: `SELECT a.severity AS "severity", count(*) AS "alerts", count(a.acknowledged_at) AS "acknowledged",
  percentile_cont(0.5) WITHIN GROUP (ORDER BY ${SECONDS_TO_ACKNOWLEDGE}) AS "median to acknowledge",
  percentile_cont(0.9) WITHIN GROUP (ORDER BY ${SECONDS_TO_ACKNOWLEDGE}) AS "p90 to acknowledge",
  (count(*) FILTER (WHERE a.acknowledged_at <= a.acknowledge_by))::float8 / greatest(count(*), 1) AS "within target",
  count(a.escalated_at) AS "escalated"
FROM alerts a WHERE $__timeFilter(a.raised_at) GROUP BY a.severity ORDER BY max(a.severity_rank) DESC`,
    format: 'table',
    columns: { severity: 'text', alerts: 'number', acknowledged: 'number', 'median to acknowledge': 'number', 'p90 to acknowledge': 'number', 'within target': 'number', escalated: 'number' },
  })
    .overrideByName('median to acknowledge', [{ id: 'unit', value: 's' }])
    .overrideByName('p90 to acknowledge', [{ id: 'unit', value: 's' }])
    .overrideByName('within target', [{ id: 'unit', value: 'percentunit' }]),
  sqlTable('Dispositions', 'How alerts resolved in the time range were closed.', {
    sql: `SELECT coalesce(a.disposition, '(none)') AS "disposition", count(*) AS "alerts"
FROM alerts a WHERE $__timeFilter(a.resolved_at) GROUP BY 1 ORDER BY 2 DESC, 1`,
    format: 'table',
    columns: { disposition: 'text', alerts: 'number' },
  }),
];

const adherence = [
  sqlGraph('Patients with a reading', 'Share of registered patients with at least one stored reading on each UTC day (daily rollups).', 'percentunit', [
    {
      sql: `SELECT $__timeGroupAlias(r.bucket, '1d'), count(DISTINCT r.patient_id)::float8 / greatest((SELECT count(*) FROM patients), 1) AS "patients with a reading"
FROM observation_rollups_daily r WHERE $__timeFilter(r.bucket) GROUP BY 1 ORDER BY 1`,
      format: 'time_series',
      columns: { time: 'time', 'patients with a reading': 'number' },
    },
  ], THIRD).max(1),
  sqlTable('Adherence by programme', 'Per programme: patients, the mean share of days in the range on which a patient sent any reading (UTC days), and patients with no reading at all in the range.', {
    sql: `SELECT programme AS "programme", count(*) AS "patients",
  avg(coalesce(r.days, 0) / d.days)::float8 AS "days with a reading",
  count(*) FILTER (WHERE r.days IS NULL) AS "patients without a reading"
FROM patients p
CROSS JOIN LATERAL ${PROGRAMME} AS programme
CROSS JOIN (SELECT greatest(1, ceil(extract(epoch FROM $__timeTo()::timestamptz - $__timeFrom()::timestamptz) / 86400))::float8 AS days) d
LEFT JOIN (SELECT patient_id, count(DISTINCT bucket)::float8 AS days FROM observation_rollups_daily
  WHERE $__timeFilter(bucket) GROUP BY patient_id) r ON r.patient_id = p.id
GROUP BY programme ORDER BY programme`,
    format: 'table',
    columns: { programme: 'text', patients: 'number', 'days with a reading': 'number', 'patients without a reading': 'number' },
  }, THIRD).overrideByName('days with a reading', [{ id: 'unit', value: 'percentunit' }]),
  sqlGraph('Adherence items raised', 'Missing-data and data-quality items (the adherence queue: AD-*, DQ-*) raised per interval, by rule.', 'short', [
    {
      sql: `SELECT $__timeGroupAlias(a.raised_at, $__interval), a.rule_id AS metric, count(*)::float8 AS value
FROM alerts a WHERE $__timeFilter(a.raised_at) AND ${ADHERENCE_RULE} GROUP BY 1, 2 ORDER BY 1`,
      format: 'time_series',
      columns: { time: 'time', metric: 'text', value: 'number' },
    },
  ], THIRD).interval(MIN_BUCKET).drawStyle(common.GraphDrawStyle.Bars),
];

export function clinicalOperationsDashboard(): Dashboard {
  const builder = new DashboardBuilder('RPM clinical operations')
    .uid('rpm-clinical-operations')
    .description('Alert volume per rule and programme, time to acknowledge, escalations, dispositions and adherence, read from the care-api and vitals-store tables in PostgreSQL. For clinical leads sizing alert burden. Generated from dashboards/src (npm run dashboards).')
    .tags(['rpm', 'generated', 'postgresql'])
    .refresh('5m')
    .time({ from: 'now-7d', to: 'now' })
    .withVariable(datasourceVariable(POSTGRES, 'PostgreSQL'));
  const sections: [string, cog.Builder<Panel>[]][] = [
    ['Alert volume', volume],
    ['Response', response],
    ['Adherence', adherence],
  ];
  for (const [title, panels] of sections) {
    builder.withRow(new RowBuilder(title));
    for (const panel of panels) builder.withPanel(panel);
  }
  return finish(builder);
}
