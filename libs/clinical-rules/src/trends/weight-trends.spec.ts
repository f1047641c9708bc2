import { applyObservation } from './apply-observation';
import { evaluateTrends } from './evaluate-trends';
import { compactWeightId } from './trend-state';
import { NEW_YORK, SYDNEY, aWeight, applyAll, firedAfter, withEnabled } from './trend-test-kit';

const HF = ['heart_failure' as const];
/** 07:00 EST on 2026-03-0N (before the DST change). */
const morning = (day: number, time = '07:00'): string => `2026-03-${String(day).padStart(2, '0')}T${time}:00-05:00`;

describe('HF-01 (1-day gain > 1.36 kg)', () => {
  it.each([
    [84.0, 85.36, []],
    [84.0, 85.37, [['HF-01', 'medium']]],
    [84.0, 84.0, []],
  ])('%d kg then %d kg', (yesterday, today, expected) => {
    expect(firedAfter([aWeight(morning(2), yesterday), aWeight(morning(3), today)], HF)).toEqual(expected);
  });

  it.each([
    [185.0, 188.0, [['HF-01', 'medium']]], // 3.0 lb = 1.3608 kg, just over 1.36
    [185.0, 187.9, []], // 2.9 lb = 1.315 kg
  ])('%d lb then %d lb', (yesterday, today, expected) => {
    expect(firedAfter([aWeight(morning(2), yesterday, 'lb'), aWeight(morning(3), today, 'lb')], HF)).toEqual(expected);
  });

  it('tells the nurse both weights, with the unit sent, and shows them as evidence', () => {
    const yesterday = aWeight(morning(2), 185.0, 'lb');
    const today = aWeight(morning(3), 188.6, 'lb');
    const [firing] = evaluateTrends(applyAll([yesterday, today], NEW_YORK), today, { programs: HF, timezone: NEW_YORK });
    expect(firing?.summary).toBe("Weight 85.5 kg (sent as 188.6 lb), +1.6 kg since yesterday's first weight 83.9 kg (HF-01, > 1.36 kg)");
    expect(firing?.threshold).toBe("First morning weight − previous day's first weight > 1.36 kg");
    expect(firing?.evidence.map((e) => [e.observationId, e.measuredAt])).toEqual([
      [today.observationId, today.measuredAt],
      [yesterday.observationId, yesterday.measuredAt],
    ]);
    expect(firing).toMatchObject({ kind: 'alert', retrospective: false, ruleSource: '[HF-Allina] [HF-HW] [BEAT-HF] [ZHANG09]' });
  });

  it('does not bridge a missing day, ignores later weights of the day and other programmes', () => {
    expect(firedAfter([aWeight(morning(1), 84), aWeight(morning(3), 86)], HF)).toEqual([]);
    expect(firedAfter([aWeight(morning(2), 84), aWeight(morning(3), 84.5), aWeight(morning(3, '09:00'), 86)], HF)).toEqual([]);
    expect(firedAfter([aWeight(morning(2), 84), aWeight(morning(3), 86)], ['hypertension'])).toEqual([]);
  });
});

describe('HF-02 (gain > 2.27 kg over the lowest first weight of the previous 7 days)', () => {
  // Day 1 is 8 days back (outside the window), day 3 is the minimum.
  const week = [80.0, 83.0, 82.0, 83.5, 83.5, 83.5, 83.5, 83.5].map((kg, i) => aWeight(morning(i + 1), kg));
  it.each([
    [84.27, []],
    [84.28, [['HF-02', 'medium']]],
  ])('today %d kg', (today, expected) => {
    expect(firedAfter([...week, aWeight(morning(9), today)], HF)).toEqual(expected);
  });

  it('names the minimum day in the summary', () => {
    const today = aWeight(morning(9), 84.5);
    const [firing] = evaluateTrends(applyAll([...week, today], NEW_YORK), today, { programs: HF, timezone: NEW_YORK });
    expect(firing?.summary).toBe('Weight 84.5 kg, +2.5 kg since the lowest first weight of the previous 7 days, 82.0 kg on 2026-03-03 (HF-02, > 2.27 kg)');
  });
});

describe('HF-03 (sensitive profile, off by default) and HF-04 (loss ≥ 0.91 kg over 2 days)', () => {
  it.each([
    [84.0, 84.5, 83.09, [['HF-04', 'low']]], // 0.9099999… in floating point still counts
    [84.0, 84.5, 83.1, []],
    [84.0, 84.0, 84.0, []],
  ])('%d, %d, %d kg', (first, second, third, expected) => {
    expect(firedAfter([aWeight(morning(1), first), aWeight(morning(2), second), aWeight(morning(3), third)], HF)).toEqual(expected);
  });

  it.each([
    [84.0, 84.7, 85.36, [['HF-03', 'low']]], // Δ2 exactly 1.36
    [84.0, 84.0, 84.91, [['HF-03', 'low']]], // Δ1 exactly 0.91
    [84.0, 84.1, 85.0, []],
  ])('HF-03 when switched on: %d, %d, %d kg', (first, second, third, expected) => {
    const readings = [aWeight(morning(1), first), aWeight(morning(2), second), aWeight(morning(3), third)];
    expect(firedAfter(readings, HF)).toEqual([]);
    expect(firedAfter(readings, HF, NEW_YORK, withEnabled('HF-03'))).toEqual(expected);
  });
});

describe('first morning weight at 04:00 local', () => {
  it.each([
    // New York spring-forward day: 04:00 EDT is 08:00Z, 03:59 EDT is 07:59Z.
    [NEW_YORK, '2026-03-07T07:00:00-05:00', '2026-03-08T03:59:00-04:00', '2026-03-08T04:00:00-04:00'],
    // Sydney fall-back day: 04:00 AEST is 18:00Z the day before.
    [SYDNEY, '2026-04-04T07:00:00+11:00', '2026-04-05T03:59:00+10:00', '2026-04-05T04:00:00+10:00'],
  ])('in %s a 03:59 weight is not the morning weight, 04:00 is', (zone, yesterday, beforeFour, atFour) => {
    const night = aWeight(beforeFour, 95);
    const morningWeight = aWeight(atFour, 85.4);
    const state = applyAll([aWeight(yesterday, 84), night, morningWeight], zone);
    expect(state.days[atFour.slice(0, 10)]?.w?.[2]).toBe(compactWeightId(morningWeight.observationId));
    expect(evaluateTrends(state, night, { programs: HF, timezone: zone })).toEqual([]);
    expect(evaluateTrends(state, morningWeight, { programs: HF, timezone: zone }).map((f) => f.ruleId)).toEqual(['HF-01']);
  });
});

describe('late scale upload', () => {
  const d1 = aWeight(morning(1), 84);
  const d2 = aWeight(morning(2, '08:00'), 84.2);
  const d3 = aWeight(morning(3), 84.3);
  const base = applyAll([d1, d2, d3], NEW_YORK);

  it('lands on its own day and replaces that day only when measured earlier', () => {
    const early = aWeight(morning(2, '06:30'), 85.5, 'kg', '2026-03-05T12:00:00.000Z');
    const later = aWeight(morning(2, '09:00'), 80, 'kg', '2026-03-05T12:00:00.000Z');
    const afterEarly = applyObservation(base, early, NEW_YORK);
    expect(afterEarly.days['2026-03-02']?.w?.[2]).toBe(compactWeightId(early.observationId));
    expect(afterEarly.days['2026-03-03']).toEqual(base.days['2026-03-03']);
    expect(applyObservation(base, later, NEW_YORK)).toBe(base);
    const [firing] = evaluateTrends(afterEarly, early, { programs: HF, timezone: NEW_YORK });
    expect(firing).toMatchObject({ ruleId: 'HF-01', severity: 'medium', retrospective: true });
    expect(firing?.summary).toMatch(/retrospective: measured 73 h before it arrived$/);
  });
});
