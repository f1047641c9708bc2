import type { KafkaCeiling } from './kafka-ceiling';
import type { PostgresCeiling } from './postgres-ceiling';

export { kafkaProducerCeiling, type KafkaCeiling, type KafkaCeilingOptions } from './kafka-ceiling';
export { postgresCopyCeiling, type PostgresCeiling, type PostgresCeilingOptions } from './postgres-ceiling';
export { sampleMessageShape, type SampleMessageShape } from './observation-sample';

/** A ceiling in device messages a second, whatever it was measured in. */
export interface Ceiling {
  readonly name: string;
  readonly messagesPerSecond: number;
  /** How it was measured, for the report line. */
  readonly detail: string;
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');

export function kafkaCeilingLine(c: KafkaCeiling): Ceiling {
  return {
    name: "Kafka's producer alone",
    messagesPerSecond: c.messagesPerSecond,
    detail: `${count(c.recordsPerSecond)} records/s of ${c.recordBytes} B into ${c.partitions} partitions, acks=all, idempotent; latency avg ${c.avgLatencyMs.toFixed(0)} ms, p50 ${c.p50Ms} ms, p99 ${c.p99Ms} ms`,
  };
}

export function postgresCeilingLine(c: PostgresCeiling): Ceiling {
  return {
    name: 'PostgreSQL COPY alone',
    messagesPerSecond: c.messagesPerSecond,
    detail: `${count(c.rowsPerSecond)} rows/s (${count(c.rows)} rows in ${c.seconds.toFixed(2)} s, ${c.rowsPerMessage} rows a message, ${c.partitions} monthly partition${c.partitions === 1 ? '' : 's'})`,
  };
}

/** Report lines: each ceiling in messages/s and, given the pipeline's rate, the pipeline's share of it. */
export function ceilingReport(ceilings: readonly Ceiling[], pipelineMessagesPerSecond?: number): string {
  return ceilings
    .map((c) => {
      const ratio = pipelineMessagesPerSecond === undefined ? '' : `  -> pipeline at ${((pipelineMessagesPerSecond / c.messagesPerSecond) * 100).toFixed(1)} % of it`;
      return `  ${c.name.padEnd(24)} ${count(c.messagesPerSecond).padStart(9)} messages/s${ratio}\n    ${c.detail}`;
    })
    .join('\n');
}
