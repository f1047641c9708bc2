import type { MqttClient } from 'mqtt';
import { mqttTlsOptions } from '@rpm/service-kit';
import { connectDevice, createBrokerDevice, deleteBrokerDevice, discardMqttSessions, ingestCredentials, localTestEnv, newRunId, pollUntil } from '@rpm/testing';
import { OrderedAckSubscriber, type OrderedAckSubscriberOptions } from '../src/mqtt/ordered-ack-subscriber';

/** A delivery the test decides about: settle(true) makes it safe, settle(false) refuses it. */
interface Held {
  readonly payload: string;
  readonly settle: (safe: boolean) => void;
  /** Aborted when the connection the message came on has ended. */
  readonly closed: AbortSignal;
}

/**
 * The gateway's own MQTT subscriber against the real Mosquitto (dynsec, TLS): several messages in
 * flight per connection, PUBACKs in arrival order only once safe, and redelivery of everything not
 * acknowledged to the resumed persistent session.
 */
describe('OrderedAckSubscriber', () => {
  const runId = newRunId('int-oas');
  const local = localTestEnv();
  const admin = { url: local.MQTT_URL, username: local.MQTT_ADMIN_USERNAME, password: local.MQTT_ADMIN_PASSWORD };
  const ingest = ingestCredentials(local);
  const deviceId = `${runId}-d`;
  const clientIds: string[] = [];
  const running: OrderedAckSubscriber[] = [];
  let device: MqttClient;
  let topic: string;

  beforeAll(async () => {
    const credentials = await createBrokerDevice(admin, deviceId);
    topic = credentials.topic;
    device = await connectDevice(credentials);
  });

  afterAll(async () => {
    await Promise.all(running.map((s) => s.stop(0)));
    await device?.endAsync();
    await discardMqttSessions(ingest, clientIds);
    await deleteBrokerDevice(admin, deviceId);
  });

  /** A subscriber of this device's topic only (other runs' devices share the broker), in a share group of its own. */
  function subscriber(name: string, options: Partial<OrderedAckSubscriberOptions> = {}) {
    const held: Held[] = [];
    const warnings: string[] = [];
    const clientId = `${runId}-${name}`;
    if (!clientIds.includes(clientId)) clientIds.push(clientId);
    const instance = new OrderedAckSubscriber({
      url: ingest.url,
      tls: mqttTlsOptions(ingest.url),
      clientId,
      username: ingest.username,
      password: ingest.password,
      filter: `$share/${runId}-${name}/rpm/devices/${deviceId}/readings`,
      sessionExpiryInterval: 600,
      receiveMaximum: 10,
      reconnectPeriodMs: 100,
      onMessage: (_topic, payload, closed) => new Promise<boolean>((settle) => held.push({ payload: payload.toString(), settle, closed })),
      log: { info: () => undefined, warn: (message, fields) => warnings.push(`${message} ${String(fields?.['reason'] ?? '')}`), error: () => undefined },
      ...options,
    });
    running.push(instance);
    instance.start();
    return { instance, held, warnings };
  }

  const publish = async (...payloads: string[]) => {
    for (const payload of payloads) await device.publishAsync(topic, payload, { qos: 1 });
  };
  const payloadsOf = (held: readonly Held[]) => held.map((h) => h.payload);
  const settle = (held: readonly Held[], payload: string, safe: boolean) => held.find((h) => h.payload === payload)!.settle(safe);
  const quietFor = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const waitFor = (condition: () => boolean) => pollUntil(async () => (condition() ? true : undefined), { timeoutMs: 10_000, intervalMs: 20 });

  it('takes up to its receive maximum of messages at once on one connection, and the next one as a PUBACK frees a slot', async () => {
    const { instance, held } = subscriber('window', { receiveMaximum: 5 });
    await waitFor(() => instance.subscribed);
    await publish('w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7');

    await waitFor(() => held.length === 5);
    await quietFor(500);
    expect(payloadsOf(held)).toEqual(['w0', 'w1', 'w2', 'w3', 'w4']);
    expect(instance.inflight).toBe(5);

    settle(held, 'w0', true);
    // Mosquitto 2.0.11 may then send more than the one freed slot (all queued ones, seen here).
    await waitFor(() => held.length > 5);
    expect(held[5]!.payload).toBe('w5');
    held.forEach((h) => h.settle(true));
    await waitFor(() => held.length === 8);
    held.forEach((h) => h.settle(true));
  });

  it('stops reading once it holds its receive maximum, though Mosquitto sends a whole queue after one PUBACK', async () => {
    const { instance, held } = subscriber('bound', { receiveMaximum: 5 });
    await waitFor(() => instance.subscribed);
    // 20 KB each: a TLS record holds less than one, so reading stops right after the message that fills the window.
    const big = (i: number) => `b${i}:${'x'.repeat(20_000)}`;
    await publish(...Array.from({ length: 30 }, (_, i) => big(i)));
    await waitFor(() => held.length === 5);

    held.forEach((h) => h.settle(true));
    await waitFor(() => held.length >= 10);
    await quietFor(1_000);
    expect(held.length).toBeLessThanOrEqual(11);
    expect(payloadsOf(held).map((p) => p.slice(0, p.indexOf(':')))).toEqual(Array.from({ length: held.length }, (_, i) => `b${i}`));

    // Each freed window lets the next messages in, until all 30 have come.
    while (held.length < 30) {
      held.forEach((h) => h.settle(true));
      const before = held.length;
      await waitFor(() => held.length > before);
    }
    held.forEach((h) => h.settle(true));
  });

  it('PUBACKs in arrival order: a message not yet safe holds back those after it, which the resumed session gets again', async () => {
    const first = subscriber('order');
    await waitFor(() => first.instance.subscribed);
    await publish('o0', 'o1', 'o2', 'o3');
    await waitFor(() => first.held.length === 4);

    // o1-o3 are safe but o0 is not: none of them may be acknowledged yet.
    ['o1', 'o2', 'o3'].forEach((p) => settle(first.held, p, true));
    await quietFor(300);
    await first.instance.stop(0);

    const second = subscriber('order');
    await waitFor(() => second.held.length === 4);
    expect(payloadsOf(second.held)).toEqual(['o0', 'o1', 'o2', 'o3']);

    // Now o0 and o1 are safe, o2 and o3 still in hand when the connection ends.
    ['o0', 'o1'].forEach((p) => settle(second.held, p, true));
    await quietFor(300);
    await second.instance.stop(0);

    const third = subscriber('order');
    await waitFor(() => third.held.length === 2);
    expect(payloadsOf(third.held)).toEqual(['o2', 'o3']);
    third.held.forEach((h) => h.settle(true));
    await quietFor(300);
    await third.instance.stop(0);

    const fourth = subscriber('order');
    await waitFor(() => fourth.instance.subscribed);
    await quietFor(500);
    expect(fourth.held).toEqual([]);
  });

  it('a message that cannot be made safe restarts the connection, and the broker redelivers it and those after it', async () => {
    const { instance, held, warnings } = subscriber('refuse');
    await waitFor(() => instance.subscribed);
    await publish('r0', 'r1', 'r2');
    await waitFor(() => held.length === 3);

    settle(held, 'r0', true);
    settle(held, 'r2', true);
    settle(held, 'r1', false);

    await waitFor(() => held.length === 5);
    expect(payloadsOf(held.slice(3))).toEqual(['r1', 'r2']);
    expect(warnings.some((w) => w.includes('could not be made safe'))).toBe(true);
    // The first connection's messages can no longer be acknowledged: their handlers may stop retrying.
    expect(held.slice(0, 3).every((h) => h.closed.aborted)).toBe(true);
    expect(held.slice(3).some((h) => h.closed.aborted)).toBe(false);
    held.slice(3).forEach((h) => h.settle(true));
  });

  it('on stop, waits for the messages in hand and acknowledges the safe ones before it disconnects', async () => {
    const first = subscriber('drain');
    await waitFor(() => first.instance.subscribed);
    await publish('d0', 'd1');
    await waitFor(() => first.held.length === 2);

    const stopped = first.instance.stop(10_000);
    await quietFor(200);
    await publish('d2'); // taken by nobody while stopping: it waits in the session
    first.held.forEach((h) => h.settle(true));
    expect(await stopped).toBe(0);

    const second = subscriber('drain');
    await waitFor(() => second.held.length === 1);
    await quietFor(300);
    expect(payloadsOf(second.held)).toEqual(['d2']);
    second.held.forEach((h) => h.settle(true));
  });

  it('on a stop whose drain runs out, reports how many messages it left unacknowledged, and the broker redelivers them', async () => {
    const first = subscriber('left');
    await waitFor(() => first.instance.subscribed);
    await publish('l0', 'l1', 'l2');
    await waitFor(() => first.held.length === 3);
    settle(first.held, 'l0', true);
    settle(first.held, 'l2', true); // safe, but behind l1: its PUBACK waits too

    expect(await first.instance.stop(300)).toBe(2);
    expect(first.instance.inflight).toBe(1);
    settle(first.held, 'l1', true); // too late: its connection is gone
    await waitFor(() => first.instance.inflight === 0);

    const second = subscriber('left');
    await waitFor(() => second.held.length === 2);
    expect(payloadsOf(second.held)).toEqual(['l1', 'l2']);
    second.held.forEach((h) => h.settle(true));
  });

  it('keeps retrying a refused CONNECT and never reports itself subscribed', async () => {
    const { instance, warnings } = subscriber('refused', { password: 'not-the-password' });
    await waitFor(() => warnings.filter((w) => w.includes('CONNECT refused')).length >= 2);
    expect(instance.subscribed).toBe(false);
  });
});
