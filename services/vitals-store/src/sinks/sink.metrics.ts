import { counter, histogram } from '@rpm/service-kit';

/** Secondary sinks (label `sink`); PostgreSQL keeps its rpm_vitals_rows_* and rpm_vitals_write_* metrics. */
export const sinkMetrics = {
  written: counter('rpm_vitals_sink_records_written_total', 'Records a secondary sink accepted (an identical rewrite counts)', ['sink']),
  deadLettered: counter('rpm_vitals_sink_records_dead_lettered_total', 'Records a secondary sink refused or could not take, published to rpm.ingest.dlq.v1', ['sink', 'reason']),
  retries: counter('rpm_vitals_sink_write_retries_total', 'Write requests to a secondary sink retried after a transient error', ['sink', 'error']),
  writeSeconds: histogram('rpm_vitals_sink_write_seconds', 'Time to settle a batch in a secondary sink, retries and dead letters included', [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20], ['sink']),
};
