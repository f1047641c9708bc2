/**
 * Stage profile (issue 8): pushes a steady open-loop load of device messages (three readings
 * each: heart rate, SpO2, respiratory rate) through the four services and reports, per second
 * and over the measured window, what each stage did, the Kafka write time of the gateway, the
 * consumers' lag and every process's CPU. Finds which stage saturates; prints, asserts nothing.
 *
 *   node scripts/run-ts.js test/bench/pipeline/stage-profile.ts --rate 3000 --duration 20 --devices 100
 *     [--env INGEST_MQTT_CONNECTIONS=32] (any service variable, repeatable; the gateway gets 8 connections unless told)
 *     [--profile /tmp/prof/run1]   a V8 CPU profile of every service over the measured window
 *     [--mosquitto-only]           no gateway: our own share-group subscribers ack at once (the broker's ceiling)
 *
 * Ports 14200-14203, its own consumer groups and share group (PipelineHarness).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { Topics } from '@rpm/contracts';
import { consumerGroupLag } from '@rpm/kafka';
import { mqttTlsOptions } from '@rpm/service-kit';
import { discardMqttSessions, ingestCredentials, readMetric, type ServiceName } from '@rpm/testing';
import { PipelineHarness } from '../../pipeline-harness';
import { pidsOf, processUsage, STACK_PROCESS } from './process-usage';

const PORTS: Record<ServiceName, number> = { 'care-api': 14200, 'ingest-gateway': 14201, 'rules-engine': 14202, 'vitals-store': 14203 };

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const rate = Number(arg('rate', '3000'));
const durationS = Number(arg('duration', '20'));
const warmupS = Number(arg('warmup', '3'));
const deviceCount = Number(arg('devices', '100'));
const profileDir = arg('profile', '');
const mosquittoOnly = argv.includes('--mosquitto-only');
const envOverrides = Object.fromEntries(
  argv.flatMap((a, i) => (argv[i - 1] === '--env' ? [a.split('=') as [string, string]] : [])).map(([k, ...v]) => [k, v.join('=')]),
);

interface Device {
  readonly client: MqttClient;
  readonly topic: string;
  seq: number;
}

/**
 * Each device uploads a backlog: its k-th message was measured 61 s after its (k-1)-th, from six days
 * ago, so realistic whole-number values never look like DQ-03 resends (same value within 60 s) and the
 * SpO2 histograms stay the size a real oximeter makes. 8,000 messages a device stay in the past.
 */
const backlogStart = Date.now() - 6 * 24 * 3600_000;
function payload(device: Device): string {
  const k = device.seq++;
  return JSON.stringify({
    messageId: randomUUID(),
    measuredAt: new Date(backlogStart + k * 61_000).toISOString().replace('Z', '+00:00'),
    readings: [
      { type: 'heart_rate', value: 60 + ((k * 7) % 31), unit: '/min' },
      { type: 'spo2', value: 94 + ((k * 3) % 6), unit: '%' },
      { type: 'respiratory_rate', value: 12 + ((k * 5) % 9), unit: '/min' },
    ],
  });
}

async function main(): Promise<void> {
  // The gateway's own default (8), not the test harness's 2: a profile of 2 connections showed a
  // window of ~100 messages in flight that the bench, on 8, does not have.
  const overrides: Record<string, string> = { INGEST_MQTT_CONNECTIONS: '8', ...envOverrides };
  if (profileDir) {
    overrides['NODE_OPTIONS'] = `--require ${join(__dirname, 'cpu-profile-on-signal.js')}`;
    overrides['CPU_PROFILE_DIR'] = profileDir;
  }
  /** Starts, then stops and writes, the services' CPU profiles (cpu-profile-on-signal.js). */
  const toggleProfiles = () => {
    if (!profileDir) return;
    for (const name of ['ingest-gateway', 'vitals-store', 'rules-engine', 'care-api'] as const) {
      const service = harness.services[name];
      // The gateway is stopped in a --mosquitto-only run.
      if (service.pid && !service.exited) process.kill(service.pid, 'SIGWINCH');
    }
  };
  const harness = new PipelineHarness(overrides, { ports: PORTS });
  try {
    await harness.start();
  } catch (error) {
    // A service that was slow to get ready on a busy machine must not outlive the run.
    await Promise.all(Object.values(harness.services).map((s) => s.stop()));
    throw error;
  }
  const processes: Record<string, number[]> = {
    'ingest-gateway': [harness.services['ingest-gateway'].pid!],
    'vitals-store': [harness.services['vitals-store'].pid!],
    'rules-engine': [harness.services['rules-engine'].pid!],
    'care-api': [harness.services['care-api'].pid!],
    'this driver': [process.pid],
    mosquitto: pidsOf(STACK_PROCESS.mosquitto),
    kafka: pidsOf(STACK_PROCESS.kafka),
    postgres: pidsOf(/^postgres/),
  };
  console.log(`pids: ${JSON.stringify(processes)}`);
  const ceilingClients: MqttClient[] = [];
  let ceilingReceived = 0;
  try {
    const started = Date.now();
    const devices: Device[] = [];
    for (let i = 0; i < deviceCount; i += 8) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(8, deviceCount - i) }, async () => {
          // A kept-alive API connection closed by the server fails a request now and then: try again.
          for (let attempt = 1; ; attempt++) {
            try {
              const { client, topic } = await harness.enrolledDevice(['copd'], 'pulse_oximeter');
              return { client, topic, seq: 0 };
            } catch (error) {
              if (attempt === 3) throw error;
            }
          }
        }),
      );
      devices.push(...batch);
    }
    console.log(`${deviceCount} devices registered and connected in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    if (mosquittoOnly) {
      await harness.services['ingest-gateway'].stop();
      const connections = Number(harness.serviceEnv('ingest-gateway')['INGEST_MQTT_CONNECTIONS']);
      await discardMqttSessions(ingestCredentials(), Array.from({ length: connections }, (_, i) => `e2e-${harness.runId}-c${i}`));
      const creds = ingestCredentials();
      for (let i = 0; i < connections; i++) {
        const client = mqtt.connect(creds.url, {
          ...mqttTlsOptions(creds.url),
          protocolVersion: 5,
          clientId: `ceiling-${harness.runId}-${i}`,
          username: creds.username,
          password: creds.password,
          clean: true,
          properties: { receiveMaximum: 100 },
        });
        // Only this run's devices: other fleets on the shared broker reach this share group too.
        const ours = `rpm/devices/e2e-${harness.runId}-`;
        client.on('message', (topic) => {
          if (topic.startsWith(ours)) ceilingReceived++;
        });
        await new Promise<void>((resolve) => client.once('connect', () => resolve()));
        await client.subscribeAsync(`$share/ceiling-${harness.runId}/rpm/devices/+/readings`, { qos: 1 });
        ceilingClients.push(client);
      }
    }

    const url = (name: ServiceName) => `http://127.0.0.1:${PORTS[name]}`;
    /** A scrape can fail on a machine this busy (a reset connection): try again before giving up. */
    const read = async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await readOnce();
        } catch (error) {
          if (attempt === 5) throw error;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    const readOnce = async () => ({
      t: Date.now(),
      published: publishedTotal,
      acked: ackedTotal,
      ingested: mosquittoOnly ? ceilingReceived : await readMetric(url('ingest-gateway'), 'rpm_ingest_messages_total'),
      kafkaWriteSum: mosquittoOnly ? 0 : await readMetric(url('ingest-gateway'), 'rpm_ingest_kafka_write_seconds_sum'),
      kafkaWriteCount: mosquittoOnly ? 0 : await readMetric(url('ingest-gateway'), 'rpm_ingest_kafka_write_seconds_count'),
      stored: await readMetric(url('vitals-store'), 'rpm_vitals_rows_stored_total'),
      evaluated: await readMetric(url('rules-engine'), 'rpm_rules_evaluations_total'),
      // Per pid: PostgreSQL backends come and go, so only those alive at both ends are compared.
      cpu: Object.fromEntries(
        Object.entries({ ...processes, postgres: pidsOf(/^postgres: /) }).map(([name, pids]) => [name, new Map(pids.map((p) => [p, processUsage(p)?.cpuSeconds ?? null]))]),
      ),
    });
    type Sample = Awaited<ReturnType<typeof readOnce>>;

    let publishedTotal = 0;
    let ackedTotal = 0;
    let failed = 0;
    // Open loop: every 10 ms the messages due by then, round robin over the devices.
    const publishStart = Date.now();
    const publishEnd = publishStart + (warmupS + durationS) * 1000;
    const windowStart: Sample[] = [];
    let next = 0;
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const now = Date.now();
        const due = Math.floor(((Math.min(now, publishEnd) - publishStart) / 1000) * rate) - publishedTotal;
        for (let n = 0; n < due; n++) {
          const device = devices[next++ % devices.length]!;
          publishedTotal++;
          device.client.publish(device.topic, payload(device), { qos: 1 }, (error) => (error ? failed++ : ackedTotal++));
        }
        if (now >= publishEnd) {
          clearInterval(tick);
          resolve();
        }
      }, 10);
      setTimeout(() => {
        toggleProfiles();
        void read().then((s) => windowStart.push(s), (error: unknown) => console.error(error));
      }, warmupS * 1000);
    });
    const end = await read();
    toggleProfiles();
    const start = windowStart[0]!;
    const seconds = (end.t - start.t) / 1000;
    const per = (key: 'published' | 'acked' | 'ingested' | 'stored' | 'evaluated') => ((end[key] - start[key]) / seconds).toFixed(0);
    console.log(`\nmeasured window ${seconds.toFixed(1)} s at a target of ${rate} messages/s (${devices.length} devices)`);
    console.log(`  published by devices      ${per('published')} msg/s (PUBACKed by the broker ${per('acked')}/s, failed ${failed})`);
    console.log(`  ingested by the gateway   ${per('ingested')} msg/s${mosquittoOnly ? ' (our auto-ack subscribers)' : ''}`);
    console.log(`  rows stored               ${per('stored')} rows/s`);
    console.log(`  readings evaluated        ${per('evaluated')} readings/s`);
    if (!mosquittoOnly) {
      const writes = end.kafkaWriteCount - start.kafkaWriteCount;
      console.log(`  gateway Kafka write       ${writes ? (((end.kafkaWriteSum - start.kafkaWriteSum) / writes) * 1000).toFixed(1) : '-'} ms mean`);
    }
    const storeBatch = {
      sum: await readMetric(url('vitals-store'), 'rpm_vitals_write_batch_size_sum'),
      count: await readMetric(url('vitals-store'), 'rpm_vitals_write_batch_size_count'),
    };
    console.log(`  vitals-store batches      ${storeBatch.count} database writes, ${(storeBatch.sum / Math.max(1, storeBatch.count)).toFixed(1)} observations each (whole run)`);
    console.log('  CPU (cores, window):');
    for (const name of Object.keys(processes)) {
      let used = 0;
      for (const [pid, atEnd] of end.cpu[name]!) {
        const atStart = start.cpu[name]!.get(pid);
        if (atEnd !== null && atStart !== null && atStart !== undefined) used += atEnd - atStart;
      }
      console.log(`    ${name.padEnd(16)} ${(used / seconds).toFixed(2)}`);
    }

    // n/a once the process has ended (the gateway in a --mosquitto-only run).
    const rss = (pid: number | undefined, field: 'peakRssMiB' | 'rssMiB') => {
      const usage = pid ? processUsage(pid) : undefined;
      return usage ? `${usage[field].toFixed(0)} MiB` : 'n/a';
    };
    console.log(`  memory: ingest-gateway peak ${rss(processes['ingest-gateway']![0], 'peakRssMiB')}; mosquitto now ${rss(processes['mosquitto']![0], 'rssMiB')}`);

    // Drain: how long until every message published is ingested, stored and evaluated.
    const lags = async () => ({
      store: await consumerGroupLag(harness.kafka, harness.groupId('vitals-store'), Topics.observations.name),
      rules: await consumerGroupLag(harness.kafka, harness.groupId('rules-engine'), Topics.observations.name),
    });
    console.log(`  at the end of publishing: backlog ${publishedTotal - (end.ingested - 0)} messages (of ${publishedTotal}), lag ${JSON.stringify(await lags())}`);
    const drainStart = Date.now();
    for (;;) {
      const s = await read();
      const lag = await lags();
      if ((s.ingested >= publishedTotal && lag.store === 0 && lag.rules === 0) || Date.now() - drainStart > 90_000) {
        const total = (s.t - publishStart) / 1000;
        console.log(`  drained ${((s.t - drainStart) / 1000).toFixed(1)} s after publishing stopped; whole run ${publishedTotal} messages in ${total.toFixed(1)} s`);
        console.log(`  end to end over the whole run: ${(s.ingested / total).toFixed(0)} msg/s ingested, ${(s.stored / total).toFixed(0)} rows/s stored, ${(s.evaluated / total).toFixed(0)} readings/s evaluated`);
        break;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await Promise.all(ceilingClients.map((c) => c.endAsync()));
    await harness.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
