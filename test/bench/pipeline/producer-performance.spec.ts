import { parseProducerPerformanceSummary } from './producer-performance';

describe('parseProducerPerformanceSummary', () => {
  const progress = '49162 records sent, 9830.4 records/sec (2.81 MB/sec), 1650.3 ms avg latency, 2449.0 ms max latency.';
  const summary =
    '200000 records sent, 10427.528676 records/sec (2.98 MB/sec), 754.82 ms avg latency, 1308.00 ms max latency, 749 ms 50th, 874 ms 95th, 899 ms 99th, 907 ms 99.9th.';

  it('reads the final summary, not the progress lines before it', () => {
    const output = ['Option --producer-props has been deprecated', progress, summary, ''].join('\n');
    expect(parseProducerPerformanceSummary(output)).toEqual({
      records: 200_000,
      recordsPerSecond: 10427.528676,
      mbPerSecond: 2.98,
      avgLatencyMs: 754.82,
      maxLatencyMs: 1308,
      p50Ms: 749,
      p95Ms: 874,
      p99Ms: 899,
      p999Ms: 907,
    });
  });

  it('returns null when the tool died before its summary', () => {
    expect(parseProducerPerformanceSummary(`${progress}\norg.apache.kafka.common.errors.TimeoutException: Topic not present in metadata`)).toBeNull();
  });
});
