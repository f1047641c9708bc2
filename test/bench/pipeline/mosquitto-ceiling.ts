import mqtt from 'mqtt';
import { mqttTlsOptions } from '@rpm/service-kit';
import { ingestCredentials } from '@rpm/testing';
import type { FleetDevice } from './fleet';
import { GeneratorProcess } from './generator-process';

export interface MosquittoCeiling {
  /** Messages a second the bare subscriber received, over the run's whole seconds but the first and last. */
  readonly messagesPerSecond: number;
  /** Messages a second the broker acknowledged to the devices over the same window. */
  readonly publishAckedPerSecond: number;
  readonly received: number;
  readonly seconds: number;
  readonly devices: number;
}

/**
 * The project's Mosquitto alone: the same devices and payloads, each device publishing (QoS 1, its
 * own TLS session) as fast as its PUBACKs return, into one bare QoS 1 subscriber (no share group,
 * no Kafka behind it). Run with no ingest gateway subscribed, or the gateway would take the load.
 */
export async function mosquittoCeiling(devices: FleetDevice[], options: { durationS: number; runTag: string; resultFile: string; onProgress?: (line: string) => void }): Promise<MosquittoCeiling> {
  const creds = ingestCredentials();
  const subscriber = mqtt.connect(creds.url, {
    ...mqttTlsOptions(creds.url),
    protocolVersion: 5,
    clientId: `bench-ceiling-${process.pid}`,
    username: creds.username,
    password: creds.password,
    clean: true,
    properties: { receiveMaximum: 1000 },
  });
  await new Promise<void>((resolve, reject) => {
    subscriber.once('connect', () => resolve());
    subscriber.once('error', reject);
  });
  await subscriber.subscribeAsync('rpm/devices/+/readings', { qos: 1 });
  const receivedAt: number[] = [];
  subscriber.on('message', (_topic, payload) => {
    if (payload.includes(options.runTag)) receivedAt.push(Date.now());
  });

  const generator = new GeneratorProcess({ devices, rate: 1, durationS: options.durationS, runTag: options.runTag, plan: { outOfRangeShare: 0 }, resultFile: options.resultFile, mode: 'max' });
  try {
    const connected = await generator.connect();
    const startAt = Date.now() + 1000;
    const timer = setInterval(() => options.onProgress?.(`mosquitto alone: ${receivedAt.length} received, ${generator.lastProgress?.acked ?? 0} acknowledged`), 1000);
    const result = await generator.run<{ ackedPerSecond: number[] }>(startAt);
    clearInterval(timer);
    await new Promise((r) => setTimeout(r, 1000));
    const seconds = Math.max(1, Math.floor(options.durationS) - 2);
    const from = startAt + 1000;
    const to = from + seconds * 1000;
    const inWindow = receivedAt.filter((t) => t >= from && t < to).length;
    const ackedInWindow = result.ackedPerSecond.slice(1, 1 + seconds).reduce((a, b) => a + b, 0);
    return { messagesPerSecond: inWindow / seconds, publishAckedPerSecond: ackedInWindow / seconds, received: receivedAt.length, seconds, devices: connected.devices };
  } finally {
    generator.kill();
    await subscriber.endAsync(true);
  }
}
