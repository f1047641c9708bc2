/**
 * Home devices for the fault suite: each registered through care-api (its own MQTT
 * credentials), publishing QoS 1 at a steady rate. The device's own log records a message id
 * once its PUBACK arrived: that log, not the pipeline's metrics, is what the suite checks
 * the store against.
 */
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import type { DeviceRegistrationResponse } from '@rpm/contracts';
import { mqttTlsOptions } from '@rpm/service-kit';
import type { PipelineHarness } from '../pipeline-harness';

export interface LoggedMessage {
  readonly deviceId: string;
  readonly messageId: string;
  readonly publishedAt: number;
  ackedAt: number | null;
  /** Set by the accounting: rows stored for this message. */
  stored?: number;
}

export interface FleetDevice {
  readonly patientId: string;
  readonly registration: DeviceRegistrationResponse;
  readonly client: MqttClient;
}

/** Per device client: PUBACK reason code by packet id, until the publish callback reads it. */
const pubackCodes = new WeakMap<MqttClient, Map<number, number>>();

/** A device connected like a real one that rides out broker restarts (reconnects, resends unacknowledged QoS 1). */
export async function connectResilientDevice(registration: DeviceRegistrationResponse): Promise<MqttClient> {
  const { url, username, password } = registration.mqtt;
  const client = mqtt.connect(url, {
    ...mqttTlsOptions(url),
    protocolVersion: 5,
    clientId: `${username}-${process.pid}`,
    username,
    password,
    clean: true,
    reconnectPeriod: 500,
    connectTimeout: 5_000,
    // Many QoS 1 publishes in flight per device at 3x load.
    properties: { receiveMaximum: 1000 },
  });
  client.on('error', () => undefined); // reconnects; a refused publish shows in its callback
  // mqtt.js reports a PUBACK 0x10 (no matching subscribers: the broker queued nothing) to the
  // publish callback as a success, without the reason code: read it off the PUBACK itself.
  const codes = new Map<number, number>();
  pubackCodes.set(client, codes);
  client.on('packetreceive', (packet) => {
    if (packet.cmd === 'puback' && packet.messageId !== undefined) codes.set(packet.messageId, packet.reasonCode ?? 0);
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

export async function enrolFleet(harness: PipelineHarness, count: number, concurrency = 8): Promise<FleetDevice[]> {
  const out: FleetDevice[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const patient = await harness.createPatient(['hypertension']);
      const registration = await harness.registerDevice(patient.id, 'bp_cuff');
      const client = await connectResilientDevice(registration);
      harness.clients.push(client);
      out.push({ patientId: patient.id, registration, client });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}

/**
 * The devices' log of what they sent and what the broker acknowledged (PUBACK reason < 0x80).
 * `msgLog` holds every message, keyed by messageId.
 */
export class DeviceLog {
  readonly messages = new Map<string, LoggedMessage>();
  refused = 0;
  /** PUBACKs with 0x10 (no matching subscribers: nothing queued), each followed by a resend (device contract §2). */
  noSubscribers = 0;

  /**
   * QoS 1 publish as the device contract (docs/device-contract.md §2) has a device do it:
   * logged as acknowledged on PUBACK 0x00 only; on 0x10 "no matching subscribers" (no ingest
   * session on the broker: nothing was queued) the same bytes are sent again a second later.
   */
  publish(device: FleetDevice, body: Record<string, unknown>, messageId: string = randomUUID()): Promise<boolean> {
    const entry: LoggedMessage = { deviceId: device.registration.deviceId, messageId, publishedAt: Date.now(), ackedAt: null };
    this.messages.set(messageId, entry);
    const payload = JSON.stringify({ messageId, ...body });
    return new Promise((resolve) => {
      const attempt = (left: number) =>
        device.client.publish(device.registration.mqtt.topic, payload, { qos: 1 }, (error, packet) => {
          // On success mqtt.js hands back the PUBLISH it stored (its packet id), not the PUBACK.
          const mid = (packet as { messageId?: number } | undefined)?.messageId;
          const codes = pubackCodes.get(device.client);
          const code = (mid !== undefined ? codes?.get(mid) : undefined) ?? (packet as { reasonCode?: number } | undefined)?.reasonCode ?? 0;
          if (mid !== undefined) codes?.delete(mid);
          if (!error && code === 0x10 && left > 0) {
            this.noSubscribers++;
            setTimeout(() => attempt(left - 1), 1000);
          } else if (!error && code === 0) {
            entry.ackedAt = Date.now();
            resolve(true);
          } else {
            this.refused++;
            resolve(false);
          }
        });
      attempt(120);
    });
  }

  acked(from = 0, to = Infinity): LoggedMessage[] {
    return [...this.messages.values()].filter((m) => m.ackedAt !== null && m.publishedAt >= from && m.publishedAt < to);
  }
}

export function measuredNow(at = Date.now()): string {
  return new Date(at).toISOString().replace('Z', '+00:00');
}

/**
 * A normal heart rate (no rule fires): the steady load. `seq` counts the device's own
 * messages: DQ-03 drops a reading whose device, code and value repeat within 60 s (a
 * resend), so values step by 0.001 and repeat only after 40,000 messages of one device
 * (over 10 minutes even at 64 messages/s per device, the 3x overload of bench:backpressure).
 */
export function heartRate(seq: number, at = Date.now()): Record<string, unknown> {
  return { measuredAt: measuredNow(at), readings: [{ type: 'heart_rate', value: 60 + (seq % 40_000) / 1000, unit: '/min' }] };
}

/** SBP > 180: BP-01 raises a "recheck" alert on this one reading (CLINICAL.md). */
export function crisisBloodPressure(at = Date.now()): Record<string, unknown> {
  return { measuredAt: measuredNow(at), readings: [{ type: 'blood_pressure', systolic: 192, diastolic: 95, unit: 'mmHg' }] };
}

/**
 * Publishes `ratePerSecond` messages a second spread over the devices (round robin), in
 * 100 ms ticks, until stop() is called. Every message a fresh id and measuredAt = now (ms).
 */
export class SteadyLoad {
  private timer: NodeJS.Timeout | null = null;
  private seq = 0;
  private carry = 0;
  private readonly pending = new Set<Promise<boolean>>();
  /** Each device's last measuredAt: two messages of one device never share a millisecond (DQ-03 would take the second for a resend). */
  private readonly lastAt = new Map<string, number>();
  /** Each device's message count, shared by every load on the same devices (see heartRate). */
  private static readonly counts = new Map<string, number>();
  private readonly deviceSeq = SteadyLoad.counts;

  constructor(
    private readonly devices: FleetDevice[],
    private readonly log: DeviceLog,
    public ratePerSecond: number,
  ) {}

  get sent(): number {
    return this.seq;
  }

  start(): void {
    if (this.timer) return;
    let last = Date.now();
    this.timer = setInterval(() => {
      const now = Date.now();
      this.carry += (this.ratePerSecond * (now - last)) / 1000;
      last = now;
      const n = Math.floor(this.carry);
      this.carry -= n;
      for (let i = 0; i < n; i++) {
        const device = this.devices[this.seq % this.devices.length]!;
        const id = device.registration.deviceId;
        const at = Math.max(now, (this.lastAt.get(id) ?? 0) + 1);
        this.lastAt.set(id, at);
        const own = this.deviceSeq.get(id) ?? 0;
        this.deviceSeq.set(id, own + 1);
        const p = this.log.publish(device, heartRate(own, at));
        this.seq++;
        this.pending.add(p);
        void p.then(() => this.pending.delete(p));
      }
    }, 100);
  }

  /** Stops publishing; resolves once every publish got its PUBACK (or gave up). */
  async stop(timeoutMs = 120_000): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all([...this.pending]), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  }
}
