/**
 * npm run bench: how many readings a second the whole pipeline sustains on this machine,
 * fed by the device simulator over MQTT, and each process's peak resident memory.
 * Prints figures; asserts nothing. Usage: npm run bench [-- --patients 600 --days 14]
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Topics } from '@rpm/contracts';
import { consumerGroupLag } from '@rpm/kafka';
import { pollUntil, ServiceProcess } from '@rpm/testing';
import { PipelineHarness, PORTS } from '../pipeline-harness';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const patients = arg('patients', '600');
const days = arg('days', '14');

interface Sample {
  t: number;
  messages: number;
  rows: number;
  evaluations: number;
}

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(name))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

function peakRss(pid: number | undefined): string {
  if (!pid) return 'n/a';
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb ? `${(Number(kb) / 1024).toFixed(0)} MiB` : 'n/a';
}

function pidOf(pattern: RegExp): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (pattern.test(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '))) return Number(entry);
    } catch {
      /* the process is gone */
    }
  }
  return undefined;
}

async function main(): Promise<void> {
  if (await fetch('http://127.0.0.1:3001/healthz').then(() => true, () => false)) {
    console.log('warning: a demo gateway is running on this broker; it competes for the same cores');
  }
  const harness = new PipelineHarness({ INGEST_MQTT_CONNECTIONS: '8' });
  await harness.start();
  const simulator = new ServiceProcess('device-simulator', null, {}, [
    '--api', `http://127.0.0.1:${PORTS['care-api']}`, '--patients', patients, '--days', days, '--speed', '0', '--once', '--seed', '11',
  ]);
  const samples: Sample[] = [];
  const sample = async () =>
    samples.push({
      t: Date.now(),
      messages: await metric(PORTS['ingest-gateway'], 'rpm_ingest_messages_total'),
      rows: await metric(PORTS['vitals-store'], 'rpm_vitals_rows_stored_total'),
      evaluations: await metric(PORTS['rules-engine'], 'rpm_rules_evaluations_total'),
    });
  const timer = setInterval(() => void sample(), 1000);
  await simulator.start({ waitReady: false });
  const exit = await simulator.waitForExit();
  // Drained: the gateway has stopped taking messages and both consumers are at the end.
  let last = -1;
  await pollUntil(
    async () => {
      const now = await metric(PORTS['ingest-gateway'], 'rpm_ingest_messages_total');
      const lags = await Promise.all(
        (['vitals-store', 'rules-engine'] as const).map((n) => consumerGroupLag(harness.kafka, harness.groupId(n), Topics.observations.name)),
      );
      const settled = now === last && lags.every((l) => l === 0);
      last = now;
      return settled ? true : undefined;
    },
    { timeoutMs: 600_000, intervalMs: 2000, what: 'the pipeline to drain' },
  );
  await sample();
  clearInterval(timer);
  mkdirSync('.data/bench', { recursive: true });
  writeFileSync(
    '.data/bench/pipeline-samples.csv',
    ['seconds,messages,rows,evaluations', ...samples.map((s) => `${((s.t - samples[0]!.t) / 1000).toFixed(1)},${s.messages},${s.rows},${s.evaluations}`)].join('\n') + '\n',
  );

  // The busy window: from the second before the fleet's flood reached the gateway (the fleet
  // registers through the API first) to the last second in which the stores were still busy.
  // A trickle from other clients of the same broker (another test run) stays below 10 % of the peak.
  const steps = samples.slice(1).map((to, i) => ({ from: samples[i]!, to, work: to.messages - samples[i]!.messages + to.rows - samples[i]!.rows }));
  const peak = Math.max(...steps.map((s) => s.work));
  const busy = steps.filter((s) => s.work >= 0.1 * peak);
  const start = busy[0]?.from ?? samples[0]!;
  const stop = busy[busy.length - 1]?.to ?? samples[samples.length - 1]!;
  const seconds = Math.max(1, (stop.t - start.t) / 1000);
  const rate = (key: 'messages' | 'rows' | 'evaluations') => ((stop[key] - start[key]) / seconds).toFixed(0);
  console.log(`
pipeline throughput (simulator exit ${exit}; ${patients} patients x ${days} days published as fast as MQTT takes them)
  busy window                   ${seconds.toFixed(1)} s
  device messages ingested      ${stop.messages - start.messages}  (${rate('messages')}/s sustained)
  observation rows stored       ${stop.rows - start.rows}  (${rate('rows')}/s sustained)
  readings evaluated by rules   ${stop.evaluations - start.evaluations}  (${rate('evaluations')}/s sustained)
  per-second samples            .data/bench/pipeline-samples.csv
peak RSS
  ingest-gateway  ${peakRss(harness.services['ingest-gateway'].pid)}
  vitals-store    ${peakRss(harness.services['vitals-store'].pid)}
  rules-engine    ${peakRss(harness.services['rules-engine'].pid)}
  care-api        ${peakRss(harness.services['care-api'].pid)}
  kafka           ${peakRss(pidOf(/kafka\.Kafka/))}
  mosquitto       ${peakRss(pidOf(/mosquitto -c .*\.data\/mosquitto/))}
`);
  await harness.stop();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
