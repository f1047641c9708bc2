import type { PublishEvent } from '../quirks/publish-event';
import { PublishQueue } from './event-queue';
import { RateLimiter } from './rate-limiter';
import { SimClock } from './sim-clock';

const ev = (publishAtMs: number, id: string): PublishEvent => ({
  publishAtMs,
  deviceId: id,
  reason: 'on_time',
  message: { messageId: id, measuredAt: '2025-01-01T00:00:00Z', readings: [] },
});

describe('PublishQueue', () => {
  it('pops due events in time order, ties in insertion order', () => {
    const q = new PublishQueue();
    [ev(30, 'c'), ev(10, 'a1'), ev(20, 'b'), ev(10, 'a2'), ev(50, 'late')].forEach((e) => q.push(e));
    const out: string[] = [];
    let e: PublishEvent | null;
    while ((e = q.popDue(40))) out.push(e.deviceId);
    expect(out).toEqual(['a1', 'a2', 'b', 'c']);
    expect(q.size).toBe(1);
    expect(q.peekTime()).toBe(50);
  });
});

describe('SimClock', () => {
  it('replays the past at speed, then follows the wall clock and never runs ahead', () => {
    let wall = 1_000_000_000;
    const clock = new SimClock(wall - 86_400_000, 3600, () => wall);
    expect(clock.now()).toBe(wall - 86_400_000);
    wall += 10_000; // 10 real s = 10 simulated hours
    expect(clock.now()).toBe(wall - 10_000 - 86_400_000 + 36_000_000);
    expect(clock.caughtUp()).toBe(false);
    wall += 100_000; // long past catching up
    expect(clock.now()).toBe(wall);
    expect(clock.caughtUp()).toBe(true);
  });

  it('speed 0 jumps straight to the present', () => {
    const clock = new SimClock(0, 0, () => 5_000);
    expect(clock.now()).toBe(5_000);
  });
});

describe('RateLimiter', () => {
  it('allows a one-second burst, then spaces publishes 1/R apart', async () => {
    let wall = 0;
    const slept: number[] = [];
    const limiter = new RateLimiter(5, () => wall, async (ms) => {
      slept.push(ms);
      wall += ms;
    });
    for (let i = 0; i < 10; i++) await limiter.take();
    expect(wall).toBeGreaterThanOrEqual(1000);
    expect(wall).toBeLessThanOrEqual(1100);
    expect(slept.every((ms) => ms <= 200)).toBe(true);
  });

  it('does not wait without a cap', async () => {
    const limiter = new RateLimiter(null, () => 0, () => Promise.reject(new Error('should not sleep')));
    await expect(limiter.take()).resolves.toBeUndefined();
  });
});
