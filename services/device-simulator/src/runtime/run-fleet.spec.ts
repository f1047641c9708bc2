import type { DeviceConnector, DeviceCredentials, DeviceLink, PublishOutcome } from '../io/mqtt-device';
import { runFleet } from './run-fleet';
import type { FleetStats } from './fleet-stats';

const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A care-api stand-in that answers per the contracts and remembers what it registered. */
function fakeApi() {
  const devices: string[] = [];
  let patients = 0;
  const fetchImpl = (async (url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body)) as Record<string, unknown>;
    if (url.endsWith('/api/v1/patients')) {
      patients++;
      return Response.json({ ...body, id: uuid(patients), spo2Scale: 1, careTeamId: null, createdAt: new Date().toISOString() }, { status: 201 });
    }
    devices.push(String(body['deviceId']));
    return Response.json(
      { ...body, mqtt: { url: 'mqtt://broker.test:1883', username: body['deviceId'], password: 'pw', topic: `rpm/devices/${String(body['deviceId'])}/readings` } },
      { status: 201 },
    );
  }) as unknown as typeof fetch;
  return { fetchImpl, devices, patientCount: () => patients };
}

/** MQTT stand-in: PUBACK after a tick; one device's broker refuses everything (reason code >= 0x80). */
function fakeBroker(refuseDevice: (id: string) => boolean) {
  const published: { deviceId: string; payload: string }[] = [];
  const credentials: DeviceCredentials[] = [];
  let ended = 0;
  const connect: DeviceConnector = async (c) => {
    credentials.push(c);
    const link: DeviceLink = {
      deviceId: c.deviceId,
      topic: c.topic,
      isConnected: () => true,
      publish: (payload) =>
        new Promise<PublishOutcome>((resolve) => {
          published.push({ deviceId: c.deviceId, payload });
          setTimeout(() => resolve(refuseDevice(c.deviceId) ? 'refused' : 'acked'), 2);
        }),
      end: async () => {
        ended++;
      },
    };
    return link;
  };
  return { connect, published, credentials, ended: () => ended };
}

describe('runFleet', () => {
  it('registers every patient and device, connects each with its own credentials, publishes and counts PUBACKs', async () => {
    const api = fakeApi();
    const broker = fakeBroker((id) => id.endsWith('p001-bp'));
    const stats: FleetStats[] = [];
    const handle = await runFleet(
      { patients: 4, days: 2, speed: 0, once: true, seed: 5, runId: 'rt', jwtSecret: 'y'.repeat(32), statsIntervalMs: 50 },
      { fetchImpl: api.fetchImpl, connect: broker.connect, onStats: (s) => stats.push(s) },
    );
    const final = await handle.done;

    expect(api.patientCount()).toBe(4);
    expect(broker.credentials.map((c) => c.username).sort()).toEqual([...api.devices].sort());
    expect(broker.credentials.every((c) => c.url === 'mqtt://broker.test:1883')).toBe(true);
    expect(final.published).toBe(broker.published.length);
    expect(final.published).toBeGreaterThan(20);
    expect(final.inflight).toBe(0);
    expect(final.refused).toBe(broker.published.filter((p) => p.deviceId.endsWith('p001-bp')).length);
    expect(final.acked + final.refused + final.errors).toBe(final.published);
    expect(broker.ended()).toBe(broker.credentials.length);
    expect(stats.at(-1)).toEqual(final);
    for (const p of broker.published) expect(Date.parse((JSON.parse(p.payload) as { measuredAt: string }).measuredAt)).toBeLessThanOrEqual(Date.now());
  });

  it('stop() ends a live run cleanly and is idempotent', async () => {
    const api = fakeApi();
    const broker = fakeBroker(() => false);
    const handle = await runFleet(
      { patients: 2, days: 1, speed: 0, seed: 6, runId: 'st', jwtSecret: 'y'.repeat(32) },
      { fetchImpl: api.fetchImpl, connect: broker.connect },
    );
    await new Promise((r) => setTimeout(r, 100));
    const [a, b] = await Promise.all([handle.stop(), handle.stop()]);
    expect(a).toEqual(b);
    expect(a.inflight).toBe(0);
    await expect(handle.done).resolves.toEqual(a);
  });

  it('dry run: prints JSON lines and touches neither API nor broker', async () => {
    const lines: string[] = [];
    const failing = (() => Promise.reject(new Error('no network in a dry run'))) as unknown as typeof fetch;
    const handle = await runFleet(
      { patients: 3, days: 1, speed: 0, once: true, seed: 7, runId: 'dr', dryRun: true },
      { fetchImpl: failing, connect: () => Promise.reject(new Error('no broker')), output: (l) => lines.push(l) },
    );
    const final = await handle.done;
    expect(lines.length).toBe(final.published);
    expect(lines.length).toBeGreaterThan(5);
  });

  it('caps the publish rate with --rate (after a one-second burst)', async () => {
    const lines: string[] = [];
    const rate = 10;
    const started = Date.now();
    const handle = await runFleet(
      { patients: 4, days: 2, speed: 0, once: true, seed: 7, runId: 'rl', dryRun: true, ratePerSec: rate },
      { output: (l) => lines.push(l) },
    );
    await handle.done;
    const seconds = (Date.now() - started) / 1000;
    expect(lines.length).toBeGreaterThan(2 * rate);
    expect(seconds).toBeGreaterThanOrEqual((lines.length - rate) / rate - 0.1);
  });
});
