import { counter, gauge, histogram } from '@rpm/service-kit';

let countInflight: (() => number) | null = null;

/** Gives the in-flight gauge its source (the MQTT subscribers' own count), read at each scrape. */
export function countInflightFrom(source: () => number): void {
  countInflight = source;
}

export const ingestMetrics = {
  messages: counter('rpm_ingest_messages_total', 'MQTT messages received from devices'),
  accepted: counter('rpm_ingest_readings_accepted_total', 'Readings accepted into rpm.observations.v1', ['type']),
  rejects: counter('rpm_ingest_rejects_total', 'Messages or readings dead-lettered, by reason', ['reason']),
  kafkaWriteSeconds: histogram(
    'rpm_ingest_kafka_write_seconds',
    'Time from MQTT receipt to Kafka acknowledgement',
    [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  ),
  inflight: gauge(
    'rpm_ingest_inflight_messages',
    'Device messages taken from MQTT whose records Kafka has not acknowledged yet (connections × INGEST_MQTT_RECEIVE_MAXIMUM at most, plus writes of connections that closed meanwhile)',
    [],
    async (g) => g.set(countInflight?.() ?? 0),
  ),
  kafkaWriteRetries: counter('rpm_ingest_kafka_write_retries_total', 'Kafka writes retried before the PUBACK'),
  statusWriteFailures: counter('rpm_ingest_device_status_write_failures_total', 'Device status records that could not be written (readings are unaffected)'),
};
