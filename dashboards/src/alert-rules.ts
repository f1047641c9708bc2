/**
 * Prometheus alerting rules for operators (not the clinical worklist): what pages the on-call
 * engineer and what a care-team manager should look at. Generated to docker/prometheus/alerts.yml
 * by `npm run dashboards`; each rule's `runbook` points at its section of docs/operations.md.
 */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold before it fires (Prometheus duration). */
  readonly for: string;
  /** page: wake someone; ticket: next working day; clinical-ops: the care-team manager, not engineering. */
  readonly severity: 'page' | 'ticket' | 'clinical-ops';
  readonly summary: string;
  readonly description: string;
}

/** Where the generated rules go, from the repository root (mounted by docker/compose.yaml). */
export const ALERT_RULES_FILE = 'docker/prometheus/alerts.yml';

const SERVICES = 'care-api|ingest-gateway|rules-engine|vitals-store';

export const ALERT_RULES: readonly AlertRule[] = [
  {
    alert: 'RpmServiceDown',
    expr: `up{job=~"${SERVICES}"} == 0`,
    for: '2m',
    severity: 'page',
    summary: '{{ $labels.job }} is not answering /metrics',
    description: 'Readings still reach Kafka or wait in Mosquitto, but this stage is not doing its work. Restart it; nothing acknowledged is lost (at-least-once plus idempotent writes).',
  },
  {
    alert: 'RpmNoReadingsIngested',
    expr: `sum(rate(rpm_ingest_messages_total[15m])) == 0`,
    for: '15m',
    severity: 'page',
    summary: 'No device message has reached the ingest gateway for 30 minutes',
    description: 'The whole fleet is silent: the gateway lost its MQTT subscriptions, Mosquitto is down, or devices cannot connect (certificates, DNS). Check the gateway /readyz mqtt check and the Mosquitto log.',
  },
  {
    alert: 'RpmKafkaWritesFailing',
    expr: `sum(rate(rpm_ingest_kafka_write_retries_total[5m])) > 0`,
    for: '5m',
    severity: 'page',
    summary: 'The ingest gateway keeps retrying Kafka writes',
    description: 'PUBACKs are held, so devices retry and Mosquitto queues the backlog in the gateway sessions (bounded by max_queued_messages). Restore Kafka; the backlog drains by itself.',
  },
  {
    alert: 'RpmKafkaWriteSlow',
    expr: `histogram_quantile(0.99, sum by (le) (rate(rpm_ingest_kafka_write_seconds_bucket[5m]))) > 0.5`,
    for: '10m',
    severity: 'ticket',
    summary: 'p99 MQTT receipt to Kafka ack above 500 ms',
    description: 'Gateway throughput is connections / Kafka write latency (ADR 0002): a slow broker or disk slows every device. Check broker disk and CPU, then add gateway connections or instances.',
  },
  {
    alert: 'RpmConsumerLagHigh',
    expr: `sum by (group) (rpm_kafka_consumer_lag) > 50000`,
    for: '10m',
    severity: 'page',
    summary: 'Consumer group {{ $labels.group }} is more than 50,000 records behind',
    description: 'Readings are safe in Kafka but stored or evaluated late, so alerts reach the worklist late. Add instances (up to the partition count) or find the slow dependency (PostgreSQL for vitals-store and care-api).',
  },
  {
    alert: 'RpmConsumerCrashing',
    expr: `sum by (group) (increase(rpm_kafka_consumer_crashes_total[15m])) > 2`,
    for: '0m',
    severity: 'page',
    summary: 'Consumer group {{ $labels.group }} crashed more than twice in 15 minutes',
    description: 'A batch that keeps failing (a database error, a poison record past its schema check). The service log names the topic, partition and offset; /readyz shows the consumer check failing.',
  },
  {
    alert: 'RpmInvalidRecords',
    expr: `sum by (topic, group) (increase(rpm_kafka_invalid_records_total[1h])) > 0`,
    for: '0m',
    severity: 'ticket',
    summary: 'Records on {{ $labels.topic }} failed their schema and were skipped',
    description: 'A producer writes a contract version this consumer does not know: upgrade consumers before producers.',
  },
  {
    alert: 'RpmDeviceRejectsHigh',
    expr: `sum(rate(rpm_ingest_rejects_total[30m])) / sum(rate(rpm_ingest_messages_total[30m])) > 0.05`,
    for: '30m',
    severity: 'ticket',
    summary: 'More than 5 % of device messages are dead-lettered',
    description: 'A firmware release, a clock problem or an unbound fleet. GET /api/v1/dead-letters groups them by reason; replay after fixing bindings.',
  },
  {
    alert: 'RpmAlertOutboxBacklog',
    expr: `max(rpm_worklist_alert_event_outbox_pending) > 1000`,
    for: '10m',
    severity: 'ticket',
    summary: 'Alert events are piling up in the care-api outbox',
    description: 'Worklist changes are saved but not yet on rpm.alert-events.v1 (EHR push, downstream consumers wait). Kafka is unreachable from care-api or the relay is failing: see the care-api log.',
  },
  {
    alert: 'RpmRulesStateUnreadable',
    expr: `increase(rpm_rules_state_unreadable_total[1h]) > 0`,
    for: '0m',
    severity: 'ticket',
    summary: 'The rules engine could not read a patient state from its changelog',
    description: 'Those patients start afresh: trends and pending confirmations are lost for them. Usually a state format change without a migration.',
  },
  {
    alert: 'RpmSecondarySinkDeadLetters',
    expr: `sum by (sink, reason) (increase(rpm_vitals_sink_records_dead_lettered_total[15m])) > 0`,
    for: '0m',
    severity: 'ticket',
    summary: 'The {{ $labels.sink }} sink dead-lettered records ({{ $labels.reason }})',
    description: 'PostgreSQL has the readings; the secondary sink does not. Replay the dead letters into the sink only (docs/timestream.md).',
  },
  {
    alert: 'RpmEhrPushDeadLetters',
    expr: `sum(increase(rpm_ehr_push_dead_letters_total[15m])) > 0`,
    for: '0m',
    severity: 'ticket',
    summary: 'Pushes to the EHR went to the dead-letter topic',
    description: 'The EHR refused a Bundle or stayed unreachable past the last retry. The dead letters on rpm.ehr-push.dlq.v1 carry the reason; replay them once the EHR is back (docs/fhir.md).',
  },
  {
    alert: 'RpmEventLoopBlocked',
    expr: `max by (job) (nodejs_eventloop_lag_p99_seconds{job=~"${SERVICES}"}) > 0.5`,
    for: '10m',
    severity: 'ticket',
    summary: '{{ $labels.job }} event loop p99 lag above 500 ms',
    description: 'The service is CPU-bound: every request and PUBACK waits. Add an instance or a core (sizing in docs/operations.md).',
  },
  {
    alert: 'RpmHighSeverityEscalations',
    expr: `sum(increase(rpm_worklist_escalations_total{severity="high"}[1h])) > 0`,
    for: '0m',
    severity: 'clinical-ops',
    summary: 'High-severity alerts went unacknowledged past their target in the last hour',
    description: 'The escalation contact was notified in the worklist; this tells the care-team manager that the queue is understaffed or a screen is not being watched.',
  },
];

/** The rules file Prometheus loads (`rule_files`): JSON is YAML, so no YAML library is needed. */
export function renderAlertRules(rules: readonly AlertRule[] = ALERT_RULES): string {
  const group = {
    name: 'rpm-pipeline',
    rules: rules.map((r) => ({
      alert: r.alert,
      expr: r.expr,
      for: r.for,
      labels: { severity: r.severity },
      annotations: { summary: r.summary, description: r.description, runbook: `docs/operations.md#${r.alert.toLowerCase()}` },
    })),
  };
  return `# Generated by npm run dashboards from dashboards/src/alert-rules.ts: edit that file, not this one.\n${JSON.stringify({ groups: [group] }, null, 2)}\n`;
}
