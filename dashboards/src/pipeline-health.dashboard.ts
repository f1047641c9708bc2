import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { DashboardBuilder, type Dashboard, type Panel, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { datasourceVariable, PROMETHEUS } from './datasources';
import { finish, HALF, promGraph, promStat, warnAbove } from './panels';

/** Per-second rates over Grafana's rate interval (at least four scrapes, whatever the zoom). */
const rate = (metric: string, by = ''): string => `sum${by ? ` by (${by})` : ''} (rate(${metric}[$__rate_interval]))`;
/** Events per interval, for rare things (an escalation, a crash) where a rate reads as 0.003/s. */
const increase = (metric: string, by: string): string => `sum by (${by}) (increase(${metric}[$__rate_interval]))`;
const quantile = (q: number, histogram: string): string => `histogram_quantile(${q}, sum by (le) (rate(${histogram}_bucket[$__rate_interval])))`;

const ingest = [
  promGraph('Ingest rate', 'MQTT messages received by the gateways, and readings accepted into rpm.observations.v1 by vital type.', 'reqps', [
    { expr: rate('rpm_ingest_messages_total'), legend: 'messages' },
    { expr: rate('rpm_ingest_readings_accepted_total', 'type'), legend: 'accepted {{type}}' },
  ]),
  promGraph('Dead letters by reason', 'Messages or readings sent to rpm.ingest.dlq.v1: invalid_json, schema, too_large, implausible, unbound_device, clock_skew. A new device model or an unregistered device shows here first.', 'reqps', [
    { expr: rate('rpm_ingest_rejects_total', 'reason'), legend: '{{reason}}' },
  ]),
  promGraph('MQTT receipt to Kafka ack', 'How long a device waits for its PUBACK: the gateway acknowledges only after Kafka acked the reading (invariant 1).', 's', [
    { expr: quantile(0.5, 'rpm_ingest_kafka_write_seconds'), legend: 'p50' },
    { expr: quantile(0.95, 'rpm_ingest_kafka_write_seconds'), legend: 'p95' },
    { expr: quantile(0.99, 'rpm_ingest_kafka_write_seconds'), legend: 'p99' },
  ]),
];

const consumers = [
  promGraph('Consumer lag', 'Records behind the end of each partition after the last batch a member committed, summed per group and topic. Growing lag: add instances (up to the partition count) or look for a failing batch.', 'short', [
    { expr: 'sum by (group, topic) (rpm_kafka_consumer_lag)', legend: '{{group}} {{topic}}' },
  ], HALF),
  promGraph('Errors', 'Records skipped for failing their topic schema, consumer crashes (a batch kept failing), Kafka writes retried while a PUBACK was held, unreadable rule states and alerts for unknown patients. Each should be zero.', 'short', [
    { expr: increase('rpm_kafka_invalid_records_total', 'topic, group'), legend: 'invalid {{topic}} ({{group}})' },
    { expr: increase('rpm_kafka_consumer_crashes_total', 'group'), legend: 'crash {{group}}' },
    { expr: 'sum (increase(rpm_ingest_kafka_write_retries_total[$__rate_interval]))', legend: 'Kafka write retries (gateway)' },
    { expr: 'sum (increase(rpm_rules_state_unreadable_total[$__rate_interval]))', legend: 'unreadable rule states' },
    { expr: 'sum (increase(rpm_worklist_alerts_unknown_patient_total[$__rate_interval]))', legend: 'alerts for unknown patients' },
  ], HALF),
];

const store = [
  promGraph('Rows stored', 'New observation rows, and rows already stored (redeliveries and device resends absorbed by the natural key).', 'rowsps', [
    { expr: rate('rpm_vitals_rows_stored_total'), legend: 'stored' },
    { expr: rate('rpm_vitals_rows_duplicate_total'), legend: 'duplicates' },
  ]),
  promGraph('Database write latency', 'Per batch of readings written by vitals-store.', 's', [
    { expr: quantile(0.5, 'rpm_vitals_write_seconds'), legend: 'p50' },
    { expr: quantile(0.95, 'rpm_vitals_write_seconds'), legend: 'p95' },
  ]),
  promGraph('Write batch size', 'Readings per database write: larger batches mean the store keeps up with fewer round trips.', 'short', [
    { expr: 'sum (rate(rpm_vitals_write_batch_size_sum[$__rate_interval])) / sum (rate(rpm_vitals_write_batch_size_count[$__rate_interval]))', legend: 'mean' },
    { expr: quantile(0.95, 'rpm_vitals_write_batch_size'), legend: 'p95' },
  ]),
];

const rules = [
  promGraph('Readings evaluated', 'By vital type; readings dropped as redeliveries or resends (DQ-03) are not evaluated again.', 'reqps', [
    { expr: rate('rpm_rules_evaluations_total', 'type'), legend: '{{type}}' },
    { expr: rate('rpm_rules_duplicates_dropped_total'), legend: 'duplicates dropped' },
  ]),
  promGraph('Alerts raised by rule', 'Alerts raised or updated (a further breach while an episode is open), per interval.', 'short', [
    { expr: increase('rpm_rules_alerts_raised_total', 'rule'), legend: '{{rule}}' },
  ]),
  promGraph('Episodes ended', 'Returned to normal or data resumed, per interval.', 'short', [
    { expr: increase('rpm_rules_alerts_cleared_total', 'reason'), legend: '{{reason}}' },
  ]),
];

const worklist = [
  // Every care-api instance reads the same count from the database at scrape time: max, not sum.
  promStat('Open alerts, high severity', 'Alerts not yet resolved (snoozed included), clinical queue.', 'short', 'max (rpm_worklist_open_alerts{severity="high", queue="clinical"})').thresholds(warnAbove(1, 10)),
  promStat('Alert events in the outbox', 'Waiting to be relayed to rpm.alert-events.v1; stays near zero while Kafka is reachable.', 'short', 'max (rpm_worklist_alert_event_outbox_pending)').thresholds(warnAbove(100, 1000)),
  promStat('Screens following the worklist', 'Server-sent event streams open on all care-api instances.', 'short', 'sum (rpm_worklist_connected_screens)'),
  promGraph('Open alerts', 'By severity and queue (clinical, adherence).', 'short', [
    { expr: 'max by (severity, queue) (rpm_worklist_open_alerts)', legend: '{{queue}} {{severity}}' },
  ]),
  promGraph('Worklist changes', 'Alerts applied to the worklist by type, escalations past the acknowledgement target, breaches suppressed after a recent resolution.', 'short', [
    { expr: increase('rpm_worklist_alert_events_total', 'type'), legend: '{{type}}' },
    { expr: increase('rpm_worklist_escalations_total', 'severity'), legend: 'escalated {{severity}}' },
    { expr: increase('rpm_worklist_breaches_suppressed_total', 'rule'), legend: 'suppressed {{rule}}' },
  ]),
  promGraph('Snoozes and relayed events', 'Snoozes that expired or were broken by a worse value, and alert events published from the outbox.', 'short', [
    { expr: 'sum (increase(rpm_worklist_snoozes_expired_total[$__rate_interval]))', legend: 'snoozes expired' },
    { expr: increase('rpm_worklist_snoozes_broken_total', 'rule'), legend: 'snooze broken {{rule}}' },
    { expr: 'sum (increase(rpm_worklist_alert_events_published_total[$__rate_interval]))', legend: 'events published' },
  ]),
];

const processes = [
  promGraph('Up', 'Whether Prometheus could scrape each service (1) or not (0).', 'short', [{ expr: 'up', legend: '{{job}} {{instance}}' }]),
  promGraph('Event loop lag p99', 'Node.js event loop delay: a blocked loop delays PUBACKs, commits and every HTTP answer.', 's', [
    { expr: 'max by (job) (nodejs_eventloop_lag_p99_seconds)', legend: '{{job}}' },
  ]),
  promGraph('Memory', 'Resident memory per service.', 'bytes', [
    { expr: 'sum by (job) (process_resident_memory_bytes)', legend: '{{job}} RSS' },
  ]),
  promGraph('CPU', 'CPU seconds used per second, per service (1 = one core).', 'short', [
    { expr: 'sum by (job) (rate(process_cpu_seconds_total[$__rate_interval]))', legend: '{{job}}' },
  ]),
];

export function pipelineHealthDashboard(): Dashboard {
  const builder = new DashboardBuilder('RPM pipeline health')
    .uid('rpm-pipeline-health')
    .description('Rates, dead letters, consumer lag, latencies and errors of the MQTT -> Kafka -> store/rules -> worklist pipeline, from the services\' /metrics. Generated from dashboards/src (npm run dashboards): edit the TypeScript, not the JSON.')
    .tags(['rpm', 'generated', 'prometheus'])
    .refresh('30s')
    .time({ from: 'now-6h', to: 'now' })
    .withVariable(datasourceVariable(PROMETHEUS, 'Prometheus'));
  const sections: [string, cog.Builder<Panel>[]][] = [
    ['Ingest', ingest],
    ['Kafka consumers and errors', consumers],
    ['Vitals store', store],
    ['Rules engine', rules],
    ['Worklist', worklist],
    ['Processes', processes],
  ];
  for (const [title, panels] of sections) {
    builder.withRow(new RowBuilder(title));
    for (const panel of panels) builder.withPanel(panel);
  }
  return finish(builder);
}
