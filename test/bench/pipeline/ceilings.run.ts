/**
 * Shows the pipeline bench's helpers at work: Kafka's producer and PostgreSQL COPY ceilings (in
 * device messages a second), the CPU and memory of the broker while the producer ran,
 * and a layout demo of the timeline chart. Prints figures; asserts nothing.
 * Usage: node scripts/run-ts.js test/bench/pipeline/ceilings.run.ts [--records 200000] [--messages 100000]
 */
import { resolve } from 'node:path';
import { ceilingReport, kafkaCeilingLine, kafkaProducerCeiling, postgresCeilingLine, postgresCopyCeiling, sampleMessageShape } from './ceilings';
import { pidsOf, processUsage, STACK_PROCESS, usageBetween, type ProcessUsage } from './process-usage';
import { writeTimelineSvg, type TimelineSeries } from './timeline-svg';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

/** CPU (cores) and peak RSS of the processes matching `pattern` while `run` ran. */
async function whileWatching<T>(label: string, pattern: RegExp, run: () => Promise<T>): Promise<{ result: T; usage: string }> {
  const before = pidsOf(pattern).map(processUsage).filter((u): u is ProcessUsage => !!u);
  const started = Date.now();
  const result = await run();
  const seconds = (Date.now() - started) / 1000;
  const over = before.flatMap((b) => {
    const after = processUsage(b.pid);
    return after ? [usageBetween(b, after, seconds)] : [];
  });
  const cores = over.reduce((sum, u) => sum + u.cores, 0);
  const peak = Math.max(0, ...over.map((u) => u.peakRssMiB));
  return { result, usage: `${label}: ${cores.toFixed(2)} cores over ${seconds.toFixed(1)} s, peak RSS ${peak.toFixed(0)} MiB (${over.length} process${over.length === 1 ? '' : 'es'})` };
}

function demoTimeline(): string {
  // Synthetic series, only to show the chart's layout: a ramp, a plateau, a stall (gap) and a drain.
  const seconds = Array.from({ length: 60 }, (_, i) => i + 1);
  const shape = (i: number) => (i < 10 ? i / 10 : i < 40 ? 1 : i < 45 ? 0.2 : Math.max(0, 1 - (i - 45) / 15));
  const series = (label: string, scale: number, dashed = false, gapAt?: number, colour?: string): TimelineSeries => ({
    label,
    dashed,
    colour,
    values: seconds.map((_, i) => (gapAt !== undefined && i >= gapAt && i < gapAt + 3 ? null : Math.round(scale * shape(i) * (0.95 + 0.1 * Math.sin(i))))),
  });
  return writeTimelineSvg(resolve(__dirname, '../../../.data/bench/timeline-demo.svg'), {
    title: 'Timeline chart layout demo (synthetic series, not a measurement)',
    seconds,
    throughput: [series('messages/s in', 2_000), series('rows/s stored', 7_600), series('evaluations/s', 5_700)],
    latencyMs: [
      series('publish→stored p50', 120, false, undefined, '#4f81bd'),
      series('publish→stored p99', 480, true, undefined, '#4f81bd'),
      series('publish→alert p50', 200, false, 41, '#c0504d'),
      series('publish→alert p99', 900, true, 41, '#c0504d'),
    ],
    lag: [series('vitals-store', 30_000), series('rules-engine', 12_000)],
  });
}

async function main(): Promise<void> {
  const shape = sampleMessageShape();
  console.log(`sample message: ${shape.recordsPerMessage} observation records of ${shape.recordBytes} B (JSON), ${shape.rowsPerMessage} stored rows`);
  const kafka = await whileWatching('  kafka broker', STACK_PROCESS.kafka, () => kafkaProducerCeiling({ records: arg('records', 200_000) }));
  // PostgreSQL is not watched: the COPY's backend exits with psql, taking its CPU ticks along.
  const postgres = await postgresCopyCeiling({ messages: arg('messages', 100_000) });
  console.log('ceilings:');
  console.log(ceilingReport([kafkaCeilingLine(kafka.result), postgresCeilingLine(postgres)]));
  console.log(`while the producer ran:\n${kafka.usage}`);
  console.log(`timeline demo: ${demoTimeline()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
