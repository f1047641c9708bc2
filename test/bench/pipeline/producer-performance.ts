/**
 * What Kafka's own ProducerPerformance tool prints once all its records are acknowledged. At
 * --throughput -1 the latencies are mostly time queued in the producer's buffer: they describe a
 * saturated producer, not the pipeline's publish-to-stored delay at a sustainable rate.
 */
export interface ProducerPerformanceSummary {
  readonly records: number;
  readonly recordsPerSecond: number;
  /** As the tool prints it: MB = 1024 * 1024 bytes. */
  readonly mbPerSecond: number;
  readonly avgLatencyMs: number;
  readonly maxLatencyMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
}

// "20000 records sent, 10427.528676 records/sec (2.98 MB/sec), 754.82 ms avg latency, 1308.00 ms max latency,
//  749 ms 50th, 874 ms 95th, 899 ms 99th, 907 ms 99.9th." (one line; progress lines lack the percentiles)
const NUMBER = '(\\d+(?:\\.\\d+)?)';
const SUMMARY = new RegExp(
  `^${NUMBER} records sent, ${NUMBER} records/sec \\(${NUMBER} MB/sec\\), ${NUMBER} ms avg latency, ${NUMBER} ms max latency, ` +
    `${NUMBER} ms 50th, ${NUMBER} ms 95th, ${NUMBER} ms 99th, ${NUMBER} ms 99\\.9th\\.?$`,
);

/** The final summary line of the tool's output (the last one carrying percentiles), or null if it has none. */
export function parseProducerPerformanceSummary(output: string): ProducerPerformanceSummary | null {
  const lines = output.split('\n').map((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = SUMMARY.exec(lines[i] ?? '');
    if (!m) continue;
    const [records, perSecond, mb, avg, max, p50, p95, p99, p999] = m.slice(1).map(Number) as [number, number, number, number, number, number, number, number, number];
    return { records, recordsPerSecond: perSecond, mbPerSecond: mb, avgLatencyMs: avg, maxLatencyMs: max, p50Ms: p50, p95Ms: p95, p99Ms: p99, p999Ms: p999 };
  }
  return null;
}
