/**
 * The bench's device fleet, in a process of its own (forked by the bench) so that its work is
 * measured apart and cannot stall the bench's clock. Each device is a real MQTT v5 client over TLS
 * with its own credentials, publishing QoS 1 on its own topic.
 *
 * Open loop: message j of the run is due at startAt + j × (1000 / (rate × devices)) ms, device
 * j mod N, whatever happened to earlier messages. Its measuredAt IS that due time, so every
 * latency downstream (stored, alert) counts from the schedule: a generator that falls behind
 * shows up as delay, not as a slower offered load.
 */
import { writeFileSync } from 'node:fs';
import type { MqttClient } from 'mqtt';
import { connectDevice } from '@rpm/testing';
import type { FleetDevice } from './fleet';
import { benchPayload, type PayloadPlan } from './payload';

export interface GeneratorConfig {
  readonly devices: FleetDevice[];
  /** Messages per device per second. */
  readonly rate: number;
  readonly durationS: number;
  /** Prefix of every messageId of the run, so the run's rows can be told apart. */
  readonly runTag: string;
  readonly plan: PayloadPlan;
  readonly resultFile: string;
  /**
   * 'schedule': the open-loop schedule above. 'max': closed loop for the broker's ceiling, each
   * device sending its next message as soon as the previous one was acknowledged.
   */
  readonly mode: 'schedule' | 'max';
}

/** Parent -> child: start the schedule at this wall-clock time. */
export interface StartCommand {
  readonly type: 'start';
  readonly startAt: number;
}

export type GeneratorEvent =
  | { type: 'connected'; devices: number; failed: number; seconds: number }
  | { type: 'progress'; due: number; sent: number; acked: number; refused: number; behindMs: number }
  | { type: 'done'; resultFile: string };

export interface GeneratorResult {
  readonly startAt: number;
  readonly messagesPerDevice: number;
  readonly devices: number;
  readonly sent: number;
  readonly acked: number;
  readonly refused: number;
  /** PUBACK arrival − due time, ms, of every acknowledged message (sorted). */
  readonly ackLatencyMs: number[];
  /** Per device (row) and message (column): 1 when the broker acknowledged it (base64 of a byte per message). */
  readonly ackedBitmapBase64: string;
  /** The most the sender lagged behind its schedule, ms. */
  readonly maxBehindMs: number;
  /** The generator's own CPU seconds since the schedule started, and its peak RSS (it exits before the bench could read /proc). */
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
}

const CONNECT_CONCURRENCY = 100;

async function main(): Promise<void> {
  const config = (await nextMessage()) as GeneratorConfig;
  const t0 = Date.now();
  const clients: (MqttClient | null)[] = new Array(config.devices.length).fill(null);
  let failed = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECT_CONCURRENCY }, async () => {
      while (next < config.devices.length) {
        const i = next++;
        const device = config.devices[i]!;
        // A busy broker may take longer than one connect timeout for a TLS handshake: three tries.
        for (let attempt = 0; attempt < 3 && !clients[i]; attempt++) clients[i] = await connectDevice(device).catch(() => null);
        if (!clients[i]) failed++;
      }
    }),
  );
  send({ type: 'connected', devices: config.devices.length - failed, failed, seconds: (Date.now() - t0) / 1000 });
  const { startAt } = (await nextMessage()) as StartCommand;
  const cpuAtStart = process.cpuUsage();
  if (config.mode === 'max') {
    await publishFlatOut(config, clients, startAt);
    await Promise.all(clients.map((c) => c?.endAsync().catch(() => undefined)));
    send({ type: 'done', resultFile: config.resultFile });
    return;
  }

  const n = config.devices.length;
  const perDevice = Math.round(config.rate * config.durationS);
  const total = n * perDevice;
  const spacingMs = 1000 / (config.rate * n);
  const acked = new Uint8Array(total);
  const ackLatency: number[] = [];
  let sent = 0;
  let ackCount = 0;
  let refused = 0;
  let maxBehindMs = 0;
  let settled = 0;

  await new Promise<void>((resolve) => {
    const progress = setInterval(() => {
      const due = Math.min(total, Math.max(0, Math.floor((Date.now() - startAt) / spacingMs)));
      send({ type: 'progress', due, sent, acked: ackCount, refused, behindMs: Math.round(maxBehindMs) });
    }, 1000);
    const finish = () => {
      clearInterval(progress);
      resolve();
    };
    let j = 0;
    const tick = () => {
      const now = Date.now();
      while (j < total && startAt + j * spacingMs <= now) {
        const dueAt = startAt + j * spacingMs;
        maxBehindMs = Math.max(maxBehindMs, now - dueAt);
        const device = j % n;
        const seq = Math.floor(j / n);
        const client = clients[device];
        const index = device * perDevice + seq;
        j++;
        if (!client) {
          settled++;
          continue;
        }
        const payload = benchPayload(config.plan, config.runTag, device, seq, dueAt);
        sent++;
        client.publish(config.devices[device]!.topic, payload, { qos: 1 }, (error, packet) => {
          const code = (packet as { reasonCode?: number } | undefined)?.reasonCode ?? 0;
          if (!error && code < 0x80) {
            acked[index] = 1;
            ackCount++;
            ackLatency.push(Date.now() - dueAt);
          } else refused++;
          if (++settled === total) finish();
        });
      }
      if (j < total) setTimeout(tick, Math.max(0, Math.min(5, startAt + j * spacingMs - Date.now())));
      else if (settled === total) finish();
    };
    setTimeout(tick, Math.max(0, startAt - Date.now()));
    // A PUBACK that never comes (a dead link) must not hold the run forever.
    setTimeout(finish, startAt - Date.now() + config.durationS * 1000 + 120_000).unref();
  });

  ackLatency.sort((a, b) => a - b);
  const result: GeneratorResult = {
    startAt,
    messagesPerDevice: perDevice,
    devices: n,
    sent,
    acked: ackCount,
    refused,
    ackLatencyMs: ackLatency,
    ackedBitmapBase64: Buffer.from(acked).toString('base64'),
    maxBehindMs,
    cpuSeconds: (() => {
      const used = process.cpuUsage(cpuAtStart);
      return (used.user + used.system) / 1e6;
    })(),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
  writeFileSync(config.resultFile, JSON.stringify(result));
  await Promise.all(clients.map((c) => c?.endAsync().catch(() => undefined)));
  send({ type: 'done', resultFile: config.resultFile });
}

/** Closed loop for durationS: acknowledged messages a second, written as the result's ackedPerSecond. */
async function publishFlatOut(config: GeneratorConfig, clients: readonly (MqttClient | null)[], startAt: number): Promise<void> {
  await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
  const stopAt = startAt + config.durationS * 1000;
  const ackedPerSecond = new Array<number>(Math.ceil(config.durationS)).fill(0);
  let sent = 0;
  let acked = 0;
  const progress = setInterval(() => send({ type: 'progress', due: sent, sent, acked, refused: 0, behindMs: 0 }), 1000);
  await Promise.all(
    clients.map(
      (client, device) =>
        new Promise<void>((resolve) => {
          if (!client) return resolve();
          let seq = 0;
          const next = (): void => {
            const now = Date.now();
            if (now >= stopAt) return resolve();
            sent++;
            client.publish(config.devices[device]!.topic, benchPayload(config.plan, config.runTag, device, seq++, now), { qos: 1 }, (error) => {
              if (!error) {
                acked++;
                const second = Math.floor((Date.now() - startAt) / 1000);
                if (second < ackedPerSecond.length) ackedPerSecond[second]!++;
              }
              next();
            });
          };
          next();
        }),
    ),
  );
  clearInterval(progress);
  writeFileSync(config.resultFile, JSON.stringify({ startAt, sent, acked, ackedPerSecond }));
}

function send(event: GeneratorEvent): void {
  process.send?.(event);
}

function nextMessage(): Promise<unknown> {
  return new Promise((resolve) => process.once('message', resolve));
}

if (process.send) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
