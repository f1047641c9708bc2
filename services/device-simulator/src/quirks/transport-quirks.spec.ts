import type { SimDeviceKind } from '../fleet/fleet-model';
import type { DeviceMessage } from '../messages/message-builder';
import { createRng } from '../random/rng';
import { publishesFor, type QuirkInput } from './transport-quirks';

const T = Date.UTC(2025, 5, 1, 12);
const HOUR = 3_600_000;
const message: DeviceMessage = {
  messageId: 'sim-t-p001-bp.abc',
  measuredAt: '2025-06-01T08:00:00-04:00',
  readings: [{ type: 'blood_pressure', systolic: 130, diastolic: 80, unit: 'mmHg' }],
};
const errorFrame = (atMs: number): DeviceMessage => ({ ...message, messageId: `err-${atMs}` });
const run = (kind: SimDeviceKind, rates: Partial<QuirkInput['rates']>, seed: number) =>
  publishesFor({
    deviceId: 'sim-t-p001-bp',
    kind,
    measuredAtMs: T,
    message,
    firstOfSession: true,
    errorFrame,
    rates: { resend: 0, lateBatch: 0, errorFrame: 0, skipDay: 0, ...rates },
    rng: createRng(seed),
  });

describe('transport quirks', () => {
  it('without quirks, publishes once within seconds of the measurement', () => {
    const [only, ...rest] = run('bp_cuff', {}, 1);
    expect(rest).toHaveLength(0);
    expect(only!.reason).toBe('on_time');
    expect(only!.publishAtMs - T).toBeGreaterThan(0);
    expect(only!.publishAtMs - T).toBeLessThanOrEqual(8000);
  });

  it('a resend repeats the very same message (same messageId) 1 s to 3 h later', () => {
    for (let seed = 0; seed < 50; seed++) {
      const [first, resend] = run('pulse_oximeter', { resend: 1 }, seed);
      expect(resend!.reason).toBe('resend');
      expect(resend!.message).toBe(first!.message);
      expect(resend!.message.messageId).toBe(message.messageId);
      const delay = resend!.publishAtMs - first!.publishAtMs;
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(3 * HOUR);
    }
  });

  it('a late batch upload goes out 6-72 h later with its original measuredAt', () => {
    for (const kind of ['bp_cuff', 'scale'] as const) {
      const [late] = run(kind, { lateBatch: 1 }, 3);
      expect(late!.reason).toBe('late_batch');
      expect(late!.message.measuredAt).toBe(message.measuredAt);
      expect(late!.publishAtMs - T).toBeGreaterThanOrEqual(6 * HOUR);
      expect(late!.publishAtMs - T).toBeLessThanOrEqual(72 * HOUR);
    }
  });

  it('only cuffs and scales batch (they store readings); oximeters publish on time', () => {
    expect(run('pulse_oximeter', { lateBatch: 1 }, 3)[0]!.reason).toBe('on_time');
  });

  it('an error frame precedes the good cuff reading by 1-2 min, only on cuffs', () => {
    const [frame, good] = run('bp_cuff', { errorFrame: 1 }, 4);
    expect(frame!.reason).toBe('error_frame');
    expect(T - frame!.publishAtMs).toBeGreaterThanOrEqual(60_000);
    expect(T - frame!.publishAtMs).toBeLessThanOrEqual(120_000);
    expect(frame!.message.messageId).toBe(`err-${frame!.publishAtMs}`);
    expect(good!.reason).toBe('on_time');
    expect(run('scale', { errorFrame: 1 }, 4).map((e) => e.reason)).toEqual(['on_time']);
  });

  it('never publishes a message before it was measured (error frames are measured when sent)', () => {
    for (let seed = 0; seed < 100; seed++) {
      for (const e of run('bp_cuff', { resend: 0.5, lateBatch: 0.5, errorFrame: 0.5 }, seed)) {
        if (e.reason !== 'error_frame') expect(e.publishAtMs).toBeGreaterThanOrEqual(T);
      }
    }
  });
});
