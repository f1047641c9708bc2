/**
 * npm run bench:backpressure: at three times the sustainable rate for several minutes,
 * nothing acknowledged is lost, the gateway's memory stays bounded (it stops taking from
 * MQTT; the backlog waits in Mosquitto's persistent sessions, ADR 0002) and the backlog
 * drains afterwards. Runs on the fault suite's private stack (never the shared one).
 *   npm run bench:backpressure [-- --minutes 3 --factor 3 --devices 1000 --probe-seconds 20 --probe-rate 3000 --connections 8 --pin --pipeline-cpu 0.5]
 * --pin: the pipeline (services, Kafka, PostgreSQL) on CPU 0, the load generator and Mosquitto on
 * CPU 1, so the generator has a core of its own, as if on another machine.
 * --pipeline-cpu F: the pipeline held to F of a core (a cgroup's CPU quota), so that three times
 * what it sustains is within what one core of load generator can offer (it cannot offer 3x of a whole core's).
 * The probe must overload the pipeline: a sustainable rate near the probe's rate is only a lower bound (printed).
 * Prints the sustainable rate, peak RSS of the gateway and Mosquitto, the broker's dropped
 * count, drain time; writes .data/bench/backpressure.json and a per-second CSV.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import mqtt from 'mqtt';
import { Topics } from '@rpm/contracts';
import { consumerGroupLag } from '@rpm/kafka';
import { mqttTlsOptions } from '@rpm/service-kit';
import { CpuQuota, listenerPid, pinToCpus } from '../bench/pipeline/cpu-pinning';
import { PipelineHarness } from '../pipeline-harness';
import { StoreReader, tally } from './accounting';
import { DeviceLog, enrolFleet, SteadyLoad } from './fleet';
import { FULL_SLOT, PrivateStack, sleep } from './private-stack';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};

function rssMiB(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function metric(port: number, name: string): Promise<number> {
  // A kept-alive socket the server just closed fails the fetch ("other side closed"): try again.
  let text = '';
  for (let i = 0; ; i++) {
    try {
      text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      break;
    } catch (error) {
      if (i >= 4) throw error;
      await sleep(200);
    }
  }
  return text
    .split('\n')
    .filter((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

interface Sample {
  t: number;
  phase: string;
  offered: number;
  acked: number;
  ingested: number;
  gatewayRss: number;
  mosquittoRss: number;
  brokerStored: number;
  brokerDropped: number;
}

async function main(): Promise<void> {
  const minutes = Number(arg('minutes', '3'));
  const factor = Number(arg('factor', '3'));
  // 1,000: with 60, each device sent up to 120 messages/s, and the store's DQ-03 check (same device,
  // value and code within 60 s) scanned thousands of rows per reading: 3-4 s per insert statement.
  const devices = Number(arg('devices', '1000'));
  const probeSeconds = Number(arg('probe-seconds', '20'));
  const probeRate = Number(arg('probe-rate', '3000'));
  // Default: the gateway's own default INGEST_MQTT_CONNECTIONS (8); the backlog splits over that many sessions.
  const connections = arg('connections', '8');
  const pin = process.argv.includes('--pin');
  const pipelineCpu = Number(arg('pipeline-cpu', '0'));
  if (!(pipelineCpu >= 0)) throw new Error(`--pipeline-cpu takes a fraction of a core (0.5), not ${arg('pipeline-cpu', '')}`);
  let quota: CpuQuota | null = null;
  // Interrupted, the cgroup would stay behind (and hold whatever of the stack survives).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      quota?.remove();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  const stack = new PrivateStack(FULL_SLOT);
  const t0 = Date.now();
  let harness: PipelineHarness | null = null;
  let store: StoreReader | null = null;
  try {
    await stack.up((l) => console.log(l));
    Object.assign(process.env, stack.clientEnv);
    harness = new PipelineHarness(
      { ...stack.clientEnv, INGEST_MQTT_CONNECTIONS: connections, INGEST_SESSION_EXPIRY_SECONDS: '3600' },
      { ports: FULL_SLOT.services, logDir: stack.logDir },
    );
    await harness.start();
    const gwPort = FULL_SLOT.services['ingest-gateway'];
    store = new StoreReader(stack.databaseUrl);
    const fleet = await enrolFleet(harness, devices);
    // Every part of the pipeline, or the figures would be labelled with a quota or a CPU it did not have.
    const pipeline = [...Object.values(harness.services).map((p) => p.pid), stack.pidOf('kafka'), listenerPid(FULL_SLOT.pgPort)];
    if ((pin || pipelineCpu > 0) && pipeline.some((pid) => pid === undefined)) throw new Error(`a pipeline process was not found to pin or hold: ${JSON.stringify(pipeline)}`);
    if (pipelineCpu > 0) {
      quota = new CpuQuota('rpm-bench-pipeline', pipelineCpu);
      const held = quota.add(pipeline);
      console.log(`quota: ${held} pipeline processes held to ${pipelineCpu} of a core`);
    }
    if (pin) {
      // This process is the generator; the services are its children, pinned with the pipeline.
      const generator = [process.pid, stack.pidOf('mosquitto')];
      console.log(`pinned: ${pinToCpus(pipeline, '0')} pipeline processes on CPU 0, ${pinToCpus(generator, '1', { descendants: false })} generator and broker processes on CPU 1`);
    }
    const log = new DeviceLog();
    console.log(`fleet: ${fleet.length} devices; gateway with ${connections} MQTT connections (receiveMaximum 100 each)`);

    // The broker's own counters ($SYS, as the admin): messages held, and messages it dropped.
    const sys = { stored: 0, dropped: 0 };
    const admin = mqtt.connect(stack.clientEnv.MQTT_URL!, {
      ...mqttTlsOptions(stack.clientEnv.MQTT_URL!),
      protocolVersion: 5,
      username: harness.local.MQTT_ADMIN_USERNAME,
      password: harness.local.MQTT_ADMIN_PASSWORD,
      reconnectPeriod: 1000,
    });
    admin.on('error', () => undefined);
    admin.on('connect', () => admin.subscribe(['$SYS/broker/store/messages/count', '$SYS/broker/publish/messages/dropped']));
    admin.on('message', (topic, payload) => {
      if (topic.endsWith('store/messages/count')) sys.stored = Number(payload.toString());
      if (topic.endsWith('messages/dropped')) sys.dropped = Number(payload.toString());
    });

    const samples: Sample[] = [];
    let phase = 'probe';
    const mosquittoPid = () => stack.pidOf('mosquitto');
    const sampler = setInterval(() => {
      void (async () => {
        const ingested = await metric(gwPort, 'rpm_ingest_messages_total').catch(() => NaN);
        samples.push({
          t: Date.now(),
          phase,
          offered: log.messages.size,
          acked: ackedCount,
          ingested,
          gatewayRss: rssMiB(harness!.services['ingest-gateway'].pid),
          mosquittoRss: rssMiB(mosquittoPid()),
          brokerStored: sys.stored,
          brokerDropped: sys.dropped,
        });
      })();
    }, 1000);
    let ackedCount = 0;
    const origPublish = log.publish.bind(log);
    log.publish = (d, b, id) => origPublish(d, b, id).then((ok) => (ok && ackedCount++, ok));

    // 1. Sustainable rate: offer more than the pipeline takes. What it sustains is what it stores and
    // evaluates end to end over the probe's second half (the gateway alone takes more into Kafka).
    const fleetIds = fleet.map((d) => d.registration.deviceId);
    const endToEnd = async () => ({
      t: Date.now(),
      ingested: await metric(gwPort, 'rpm_ingest_messages_total'),
      stored: await store!.keysOf(fleetIds),
      // Each message carries one reading (a heart rate).
      evaluated: await metric(FULL_SLOT.services['rules-engine'], 'rpm_rules_evaluations_total'),
    });
    const probe = new SteadyLoad(fleet, log, probeRate);
    probe.start();
    await sleep((probeSeconds / 2) * 1000);
    const mid = await endToEnd();
    await sleep((probeSeconds / 2) * 1000);
    const end = await endToEnd();
    await probe.stop();
    const perSecond = (k: 'ingested' | 'stored' | 'evaluated') => Math.round((end[k] - mid[k]) / ((end.t - mid.t) / 1000));
    const sustainable = Math.min(perSecond('stored'), perSecond('evaluated'));
    const offeredProbe = Math.round(log.messages.size / probeSeconds);
    // Overloaded only if the pipeline took clearly less than was offered.
    const probeSaturated = sustainable < 0.9 * offeredProbe;
    console.log(
      `sustainable: ${sustainable} messages/s end to end (stored ${perSecond('stored')}/s, evaluated ${perSecond('evaluated')}/s, ` +
        `into Kafka ${perSecond('ingested')}/s; offered ~${offeredProbe}/s for ${probeSeconds} s)`,
    );
    if (!probeSaturated) console.log(`warning: the pipeline took nearly all the probe offered: ${sustainable}/s is a lower bound, and ${factor}x of it less than ${factor}x its capacity (raise --probe-rate, or hold the pipeline with --pipeline-cpu)`);
    phase = 'probe-drain';
    await waitDrained(store, fleetIds, () => ackedCount, 300_000);

    // 2. factor x sustainable for `minutes`.
    const target = sustainable * factor;
    phase = 'overload';
    const before = log.messages.size;
    const overloadStart = Date.now();
    const load = new SteadyLoad(fleet, log, target);
    load.start();
    console.log(`overload: ${target} messages/s (${factor}x) for ${minutes} min`);
    await sleep(minutes * 60_000);
    await load.stop(300_000);
    const overloadEnd = Date.now();
    const offered = log.messages.size - before;
    const actualRate = Math.round(offered / ((overloadEnd - overloadStart) / 1000));
    phase = 'drain';
    const drainMs = await waitDrained(store, fleetIds, () => ackedCount, 1_800_000);
    clearInterval(sampler);
    admin.end();

    const resent = await metric(FULL_SLOT.services['vitals-store'], 'rpm_vitals_rows_resent_total').catch(() => NaN);
    if (resent > 0) console.log(`warning: the vitals-store dropped ${resent} readings as resends (DQ-03): the load repeated a value within 60 s`);
    const stored = await store.storedByMessage(fleet.map((d) => d.registration.deviceId));
    const t = tally([...log.messages.values()], stored);
    const lags = {
      'vitals-store': await consumerGroupLag(harness.kafka, harness.groupId('vitals-store'), Topics.observations.name),
      'rules-engine': await consumerGroupLag(harness.kafka, harness.groupId('rules-engine'), Topics.observations.name),
    };
    const over = samples.filter((s) => s.phase === 'overload' || s.phase === 'drain');
    const peak = (k: 'gatewayRss' | 'mosquittoRss' | 'brokerStored') => Math.max(0, ...over.map((s) => s[k]));
    const gwStart = over[0]?.gatewayRss ?? 0;
    const backlogPeak = Math.max(0, ...over.map((s) => s.acked - s.ingested + (samples[0]?.ingested ?? 0)));
    const report = {
      startedAt: new Date(t0).toISOString(),
      pinned: pin ? { pipeline: 'CPU 0 (services, Kafka, PostgreSQL)', generator: 'CPU 1 (load generator, Mosquitto)' } : null,
      pipelineCpuQuota: pipelineCpu > 0 ? pipelineCpu : null,
      probe: { offeredPerSecond: offeredProbe, saturated: probeSaturated },
      connections: Number(connections),
      devices: fleet.length,
      sustainablePerSecond: sustainable,
      targetPerSecond: target,
      offeredPerSecond: actualRate,
      minutes,
      offered,
      total: t,
      brokerDroppedCount: sys.dropped,
      peakGatewayRssMiB: Math.round(peak('gatewayRss')),
      gatewayRssAtStartMiB: Math.round(gwStart),
      peakMosquittoRssMiB: Math.round(peak('mosquittoRss')),
      peakBrokerStoredMessages: peak('brokerStored'),
      peakBacklogMessages: backlogPeak,
      drainSeconds: Math.round(drainMs / 1000),
      lagAfter: lags,
    };
    mkdirSync('.data/bench', { recursive: true });
    writeFileSync('.data/bench/backpressure.json', JSON.stringify(report, null, 2) + '\n');
    writeFileSync(
      '.data/bench/backpressure-samples.csv',
      ['seconds,phase,offered,acked,ingested,gateway_rss_mib,mosquitto_rss_mib,broker_stored,broker_dropped', ...samples.map((s) =>
        [((s.t - samples[0]!.t) / 1000).toFixed(0), s.phase, s.offered, s.acked, s.ingested, s.gatewayRss.toFixed(0), s.mosquittoRss.toFixed(0), s.brokerStored, s.brokerDropped].join(','),
      )].join('\n') + '\n',
    );
    console.log(`
backpressure (${factor}x the sustainable rate for ${minutes} min; private stack ${FULL_SLOT.dataDir}${pin ? '; pipeline on CPU 0, generator and Mosquitto on CPU 1' : ''}${pipelineCpu > 0 ? `; pipeline held to ${pipelineCpu} of a core` : ''})
  sustainable rate            ${sustainable} messages/s end to end${probeSaturated ? '' : ' (a lower bound: the probe did not overload the pipeline)'} (gateway with ${connections} connections)
  offered                     ${actualRate} messages/s (target ${target}), ${offered} messages
  acknowledged / stored       ${t.acknowledged} / ${t.stored}   lost ${t.lost}, duplicated ${t.duplicated}
  peak backlog (acked, not yet ingested)  ${backlogPeak} messages; broker store peak ${peak('brokerStored')}; broker dropped ${sys.dropped}
  peak RSS ingest-gateway     ${report.peakGatewayRssMiB} MiB (at the start of the overload ${report.gatewayRssAtStartMiB} MiB)
  peak RSS mosquitto          ${report.peakMosquittoRssMiB} MiB
  drain time                  ${report.drainSeconds} s (load stopped -> every acknowledged message stored)
  consumer lag after          ${JSON.stringify(lags)}
  details                     .data/bench/backpressure.json, .data/bench/backpressure-samples.csv`);
    const failed = t.lost > 0 || t.duplicated > 0;
    if (failed) console.log('FAIL: acknowledged messages lost or duplicated');
    process.exitCode = failed ? 1 : 0;
  } finally {
    await harness?.stop().catch(() => undefined);
    await store?.end().catch(() => undefined);
    await stack.down();
    quota?.remove();
  }
}

/**
 * Resolves (with the time it took) once every acknowledged message is stored: a count against a
 * count, each second (not the device log's 1.6 M entries copied each second, on the generator's core).
 */
async function waitDrained(store: StoreReader, deviceIds: readonly string[], acknowledged: () => number, timeoutMs: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    const acked = acknowledged();
    const stored = await store.keysOf(deviceIds).catch(() => 0);
    if (stored >= acked) return Date.now() - start;
    if (Date.now() - start > timeoutMs) {
      console.log(`not drained after ${timeoutMs / 1000} s: ${acked - stored} acknowledged messages unstored`);
      return Date.now() - start;
    }
    await sleep(1000);
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
