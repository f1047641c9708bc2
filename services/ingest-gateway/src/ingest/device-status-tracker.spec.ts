import { clockBand, DeviceStatusTracker, STATUS_EVERY_MS } from './device-status-tracker';

const heard = (batteryPercent: number | null, offsetMs = 0, at = new Date('2026-11-27T10:00:00Z')) => ({
  measuredAt: new Date(at.getTime() + offsetMs),
  batteryPercent,
  signalDbm: -60,
  firmware: '1.2.3',
});

describe('DeviceStatusTracker', () => {
  it('writes the first status, then only on a change or once a minute', () => {
    const tracker = new DeviceStatusTracker();
    const t0 = new Date('2026-11-27T10:00:00Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    expect(tracker.next('cuff', heard(80, 0, t0), t0)).toMatchObject({ deviceId: 'cuff', batteryPercent: 80, firmware: '1.2.3', clockOffsetMs: 0, lastSeenAt: t0.toISOString() });
    expect(tracker.next('cuff', heard(80, 0, at(1_000)), at(1_000))).toBeNull();
    expect(tracker.next('cuff', heard(79, 0, at(2_000)), at(2_000))).toMatchObject({ batteryPercent: 79 });
    expect(tracker.next('cuff', heard(79, 0, at(3_000)), at(3_000))).toBeNull();
    expect(tracker.next('cuff', heard(79, 0, at(2_000 + STATUS_EVERY_MS)), at(2_000 + STATUS_EVERY_MS))).not.toBeNull();
    expect(tracker.next('scale', heard(null, 0, at(3_000)), at(3_000))).toMatchObject({ deviceId: 'scale', batteryPercent: null });
  });

  it('reports the clock offset, and writes again when the clock moves by a minute or more', () => {
    const tracker = new DeviceStatusTracker();
    const t0 = new Date('2026-11-27T10:00:00Z');
    expect(tracker.next('cuff', heard(80, -2 * 3_600_000, t0), t0)?.clockOffsetMs).toBe(-7_200_000);
    expect(tracker.next('cuff', heard(80, -2 * 3_600_000 + 20_000, t0), t0)).toBeNull();
    expect(tracker.next('cuff', heard(80, 0, t0), t0)?.clockOffsetMs).toBe(0);
  });

  it('writes a backlog uploaded late as a handful of statuses, not one per message', () => {
    const tracker = new DeviceStatusTracker();
    const received = new Date('2026-11-27T10:00:00Z');
    // A hub back online sends 6 days of minute readings within a few seconds.
    const written = Array.from({ length: 6 * 24 * 60 }, (_, k) => tracker.next('hub', heard(80, -6 * 86_400_000 + k * 60_000, received), received)).filter((s) => s !== null);
    // One per day band (6), per hour band within the last day (24), per minute within the last hour (60), ± band edges.
    expect(written.length).toBeGreaterThanOrEqual(85);
    expect(written.length).toBeLessThanOrEqual(95);
    expect(written.at(-1)?.clockOffsetMs).toBe(-60_000);
  });

  it('bands the clock offset by minutes within an hour, hours within a day, days beyond', () => {
    expect([0, 29_000, -31_000, 59 * 60_000].map(clockBand)).toEqual(['0m', '0m', '-1m', '59m']);
    expect([3_600_000, -5.4 * 3_600_000, 23.4 * 3_600_000].map(clockBand)).toEqual(['1h', '-5h', '23h']);
    expect([86_400_000, -2.6 * 86_400_000, 400 * 86_400_000].map(clockBand)).toEqual(['1d', '-3d', '400d']);
  });
});
