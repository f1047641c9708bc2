import { DeviceMessageV1, DeviceReading, MAX_DEVICE_PAYLOAD_BYTES, deviceReadingsTopic } from '@rpm/contracts';
import { ingestDeviceMessage } from '@rpm/vitals';
import { resolveFleetOptions } from '../runtime/fleet-options';
import { planRun } from './dry-run';
import { collectTimeline } from './fleet-timeline';

const NOW = Date.parse('2025-11-10T15:00:00Z'); // spans the US fall-back (2025-11-02)
const options = resolveFleetOptions({
  patients: 30,
  days: 14,
  seed: 2024,
  runId: 'valid',
  deteriorationShare: 0.5,
  // Quirks turned up so every kind shows in a small fleet.
  quirks: { resend: 0.1, lateBatch: 0.1, errorFrame: 0.1, skipDay: 0.08 },
});
const { fleet, ctx } = planRun(options, NOW);
const events = collectTimeline(fleet, ctx, NOW);

describe('every generated message honours the device contract', () => {
  it('produces a realistic volume with every quirk present', () => {
    expect(events.length).toBeGreaterThan(30 * 14 * 2);
    for (const reason of ['on_time', 'resend', 'late_batch', 'error_frame']) {
      expect(events.some((e) => e.reason === reason)).toBe(true);
    }
  });

  it('parses with DeviceMessageV1, each reading with DeviceReading, and fits in 16 KiB', () => {
    for (const { message } of events) {
      const json = JSON.parse(JSON.stringify(message)) as unknown;
      const envelope = DeviceMessageV1.parse(json);
      for (const r of envelope.readings) expect(DeviceReading.safeParse(r).success).toBe(true);
      expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThan(MAX_DEVICE_PAYLOAD_BYTES);
    }
  });

  it('never has a measuredAt in the future of its publish, nor of "now", nor before the window', () => {
    for (const e of events) {
      const measured = Date.parse(e.message.measuredAt);
      expect(measured).toBeLessThanOrEqual(e.publishAtMs);
      expect(measured).toBeLessThanOrEqual(NOW);
      expect(e.publishAtMs).toBeLessThanOrEqual(NOW);
      expect(measured).toBeGreaterThanOrEqual(ctx.windowStartMs - 120_000); // error frames lead by <= 2 min
    }
  });

  it("carries the patient's local offset (or Z for the one UTC scale)", () => {
    for (const p of fleet) {
      for (const d of p.devices) {
        const sample = events.find((e) => e.deviceId === d.deviceId);
        if (!sample) continue;
        if (d.reportsUtc) expect(sample.message.measuredAt).toMatch(/Z$/);
        else expect(sample.message.measuredAt).toMatch(/[+-]\d{2}:\d{2}$/);
      }
    }
  });

  it('is accepted by the pipeline ingest (@rpm/vitals): all readings plausible, except the 2047 error frames', () => {
    for (const e of events) {
      const outcome = ingestDeviceMessage(
        { mqttTopic: deviceReadingsTopic(e.deviceId), payload: Buffer.from(JSON.stringify(e.message)), receivedAt: new Date(e.publishAtMs) },
        () => ({ kind: 'bound', patientId: '00000000-0000-4000-8000-000000000001' }),
      );
      if (e.reason === 'error_frame') {
        expect(outcome.observations).toHaveLength(0);
        expect(outcome.deadLetters.every((d) => d.reason === 'implausible')).toBe(true);
      } else {
        expect(outcome.deadLetters).toEqual([]);
        expect(outcome.observations).toHaveLength(e.message.readings.length);
      }
    }
  });

  it('resends keep the messageId of a message published earlier', () => {
    const firstSeen = new Map<string, number>();
    for (const e of events) {
      if (e.reason === 'resend') expect(firstSeen.get(e.message.messageId)).toBeLessThanOrEqual(e.publishAtMs);
      else firstSeen.set(e.message.messageId, e.publishAtMs);
    }
  });

  it('crosses alert thresholds somewhere in a deteriorating fleet (BP > 180, SpO2 <= 93, glucose < 70 or > 250)', () => {
    const readings = events.filter((e) => e.reason !== 'error_frame').flatMap((e) => e.message.readings);
    const mmHg = (v: number, unit: string): number => (unit === 'kPa' ? v * 7.50062 : v);
    const mgdl = (v: number, unit: string): number => (unit === 'mmol/L' ? v * 18.016 : v);
    expect(readings.some((r) => r.type === 'blood_pressure' && mmHg(r.systolic, r.unit) > 180)).toBe(true);
    expect(readings.some((r) => r.type === 'spo2' && r.value <= 93)).toBe(true);
    expect(readings.some((r) => r.type === 'glucose' && mgdl(r.value, r.unit) < 70)).toBe(true);
    expect(readings.some((r) => r.type === 'glucose' && mgdl(r.value, r.unit) > 250)).toBe(true);
  });
});
