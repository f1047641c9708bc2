import { benchPayload, isOutOfRange, parseBenchMessageId } from './payload';

describe('bench payload', () => {
  const plan = { outOfRangeShare: 0.05 };

  it('never repeats a panel of a device within 449 messages (the store and the engine would drop it as a resend, DQ-03)', () => {
    let repeats = 0;
    for (let device = 0; device < 100; device++) {
      const lastSeen = new Map<string, number>();
      for (let seq = 0; seq < 600; seq++) {
        const { readings } = JSON.parse(benchPayload(plan, 'run', device, seq, 0)) as { readings: { type: string }[] };
        for (const reading of readings) {
          const key = JSON.stringify(reading);
          const before = lastSeen.get(key);
          if (before !== undefined && seq - before < 450) repeats++;
          lastSeen.set(key, seq);
        }
      }
    }
    expect(repeats).toBe(0);
  });

  it('sends a crisis pressure (BP-01: SBP > 180) exactly for the messages the plan picks, about its share of them', () => {
    let picked = 0;
    for (let seq = 0; seq < 2000; seq++) {
      const { readings } = JSON.parse(benchPayload(plan, 'run', 3, seq, 0)) as { readings: { systolic?: number }[] };
      expect((readings[0]!.systolic ?? 0) > 180).toBe(isOutOfRange(plan, 3, seq));
      if (isOutOfRange(plan, 3, seq)) picked++;
    }
    expect(picked / 2000).toBeCloseTo(0.05, 1);
  });

  it("reads back its device and sequence from the messageId, and nothing from another run's", () => {
    const { messageId } = JSON.parse(benchPayload(plan, 'b1x', 42, 7, 0)) as { messageId: string };
    expect(parseBenchMessageId('b1x', messageId)).toEqual({ device: 42, seq: 7 });
    expect(parseBenchMessageId('b2y', messageId)).toBeNull();
  });
});
