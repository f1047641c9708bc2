import { acknowledgeBy, DEFAULT_ACKNOWLEDGE_TARGETS, parseAcknowledgeTargets } from './acknowledge-target';

describe('acknowledgement targets', () => {
  const targets = parseAcknowledgeTargets(DEFAULT_ACKNOWLEDGE_TARGETS);

  it('parses durations and next-business-day, and refuses what it cannot read', () => {
    expect(parseAcknowledgeTargets('high=2s,medium=1.5h,low=1d')).toEqual({ high: { minutes: 2 / 60 }, medium: { minutes: 90 }, low: { minutes: 1440 } });
    expect(() => parseAcknowledgeTargets('high=30m,medium=4h')).toThrow('missing for low');
    expect(() => parseAcknowledgeTargets('high=30m,high=1h,medium=4h,low=1d')).toThrow('high given twice');
    expect(() => parseAcknowledgeTargets('high=30 minutes,medium=4h,low=1d')).toThrow('"high=30 minutes"');
  });

  it('adds a duration to the raise time', () => {
    const raised = new Date('2026-11-27T10:00:00Z');
    expect(acknowledgeBy(targets, 'high', raised, 'America/New_York').toISOString()).toBe('2026-11-27T10:30:00.000Z');
    expect(acknowledgeBy(targets, 'medium', raised, 'America/New_York').toISOString()).toBe('2026-11-27T14:00:00.000Z');
  });

  it('gives a low alert until 17:00 of the next business day in the patient\'s zone', () => {
    // Wednesday 2026-11-25 10:00 in New York (EST, UTC-5): due Thursday 17:00 EST.
    expect(acknowledgeBy(targets, 'low', new Date('2026-11-25T15:00:00Z'), 'America/New_York').toISOString()).toBe('2026-11-26T22:00:00.000Z');
    // Friday evening in Paris: due Monday 17:00 CET (UTC+1).
    expect(acknowledgeBy(targets, 'low', new Date('2026-11-27T20:00:00Z'), 'Europe/Paris').toISOString()).toBe('2026-11-30T16:00:00.000Z');
    // Saturday 01:00 in Tokyo is still Friday in UTC: the patient's day decides (due Monday 17:00 JST).
    expect(acknowledgeBy(targets, 'low', new Date('2026-11-27T16:00:00Z'), 'Asia/Tokyo').toISOString()).toBe('2026-11-30T08:00:00.000Z');
  });

  it('keeps 17:00 local across a daylight-saving change', () => {
    // Friday 2026-10-30 in New York (EDT); Monday 2026-11-02 is after the change to EST (UTC-5).
    expect(acknowledgeBy(targets, 'low', new Date('2026-10-30T14:00:00Z'), 'America/New_York').toISOString()).toBe('2026-11-02T22:00:00.000Z');
    // Friday 2026-03-06 in New York (EST); Monday 2026-03-09 is after the change to EDT (UTC-4).
    expect(acknowledgeBy(targets, 'low', new Date('2026-03-06T14:00:00Z'), 'America/New_York').toISOString()).toBe('2026-03-09T21:00:00.000Z');
  });
});
