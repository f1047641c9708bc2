import type { Spo2Scale } from '@rpm/contracts';
import { ACVPU, type Acvpu } from './bands';
import { NEWS2_RISKS, news2Risk, scoreNews2, type News2Risk } from './score';
import { NORMAL_INPUT, anInput } from './testing';

describe('scoreNews2: a normal set scores 0 on both scales', () => {
  it.each<Spo2Scale>([1, 2])('scale %s', (scale) => {
    expect(scoreNews2(NORMAL_INPUT, scale)).toMatchObject({ aggregate: 0, anySingleThree: false, risk: 'low', scale });
  });
});

describe('band boundaries (CLINICAL.md 3.1), every other parameter normal', () => {
  it.each<[number, number]>([
    [0, 3], [8, 3], [9, 1], [11, 1], [12, 0], [20, 0], [21, 2], [24, 2], [25, 3], [60, 3],
  ])('respiratory rate %s /min -> %s', (respiratoryRate, points) => {
    const score = scoreNews2(anInput({ respiratoryRate }), 1);
    expect([score.subScores.respiratoryRate, score.aggregate]).toEqual([points, points]);
  });

  it.each<[number, number]>([
    [70, 3], [91, 3], [92, 2], [93, 2], [94, 1], [95, 1], [96, 0], [100, 0],
  ])('SpO2 scale 1, %s %% -> %s on air and on oxygen', (spo2, points) => {
    expect(scoreNews2(anInput({ spo2 }), 1).subScores.spo2).toBe(points);
    expect(scoreNews2(anInput({ spo2, supplementalOxygen: true }), 1).subScores.spo2).toBe(points);
  });

  it.each<[number, number, number]>([
    // [SpO2, points on air, points on oxygen]
    [70, 3, 3], [83, 3, 3], [84, 2, 2], [85, 2, 2], [86, 1, 1], [87, 1, 1], [88, 0, 0], [92, 0, 0],
    [93, 0, 1], [94, 0, 1], [95, 0, 2], [96, 0, 2], [97, 0, 3], [100, 0, 3],
  ])('SpO2 scale 2, %s %% -> %s on air, %s on oxygen', (spo2, onAir, onOxygen) => {
    expect(scoreNews2(anInput({ spo2 }), 2).subScores.spo2).toBe(onAir);
    expect(scoreNews2(anInput({ spo2, supplementalOxygen: true }), 2).subScores.spo2).toBe(onOxygen);
  });

  it.each<[boolean, number]>([
    [false, 0],
    [true, 2],
  ])('supplemental oxygen %s -> %s', (supplementalOxygen, points) => {
    expect(scoreNews2(anInput({ supplementalOxygen }), 1)).toMatchObject({ subScores: { supplementalOxygen: points }, aggregate: points });
  });

  it.each<[number, number]>([
    [60, 3], [90, 3], [91, 2], [100, 2], [101, 1], [110, 1], [111, 0], [219, 0], [220, 3], [260, 3],
  ])('systolic BP %s mm[Hg] -> %s', (systolicBp, points) => {
    expect(scoreNews2(anInput({ systolicBp }), 1)).toMatchObject({ subScores: { systolicBp: points }, aggregate: points });
  });

  it.each<[number, number]>([
    [30, 3], [40, 3], [41, 1], [50, 1], [51, 0], [90, 0], [91, 1], [110, 1], [111, 2], [130, 2], [131, 3], [200, 3],
  ])('pulse %s /min -> %s', (pulse, points) => {
    expect(scoreNews2(anInput({ pulse }), 1)).toMatchObject({ subScores: { pulse: points }, aggregate: points });
  });

  it.each<[Acvpu, number]>([
    ['alert', 0], ['confusion', 3], ['voice', 3], ['pain', 3], ['unresponsive', 3],
  ])('consciousness %s -> %s', (consciousness, points) => {
    expect(scoreNews2(anInput({ consciousness }), 1)).toMatchObject({ subScores: { consciousness: points }, aggregate: points });
  });

  it('covers every ACVPU level', () => {
    expect([...ACVPU]).toEqual(['alert', 'confusion', 'voice', 'pain', 'unresponsive']);
  });

  it.each<[number, number]>([
    [34.0, 3], [35.0, 3], [35.04, 3], [35.05, 1], [35.1, 1], [36.0, 1], [36.04, 1], [36.05, 0], [36.1, 0],
    [38.0, 0], [38.04, 0], [38.05, 1], [38.1, 1], [39.0, 1], [39.04, 1], [39.05, 2], [39.1, 2], [41.0, 2],
  ])('temperature %s Cel (rounded to 0.1 first) -> %s', (temperature, points) => {
    expect(scoreNews2(anInput({ temperature }), 1)).toMatchObject({ subScores: { temperature: points }, aggregate: points });
  });

  it('100.4 degF converted to Cel (37.99999...) rounds to 38.0 and scores 0', () => {
    expect(scoreNews2(anInput({ temperature: (100.4 - 32) * (5 / 9) }), 1).subScores.temperature).toBe(0);
  });
});

describe('worked examples (hand-computed from the chart: CLINICAL.md gives none)', () => {
  it('RR 22, SpO2 93 % on O2 (scale 1), SBP 105, pulse 115, alert, 38.5 Cel -> 2+2+2+1+2+0+1 = 10, high', () => {
    const input = anInput({ respiratoryRate: 22, spo2: 93, supplementalOxygen: true, systolicBp: 105, pulse: 115, temperature: 38.5 });
    expect(scoreNews2(input, 1)).toEqual({
      scale: 1,
      subScores: { respiratoryRate: 2, spo2: 2, supplementalOxygen: 2, systolicBp: 1, pulse: 2, consciousness: 0, temperature: 1 },
      aggregate: 10,
      anySingleThree: false,
      risk: 'high',
    });
  });

  it('the same set on scale 2: SpO2 93 % on O2 scores 1, so 9', () => {
    const input = anInput({ respiratoryRate: 22, spo2: 93, supplementalOxygen: true, systolicBp: 105, pulse: 115, temperature: 38.5 });
    expect(scoreNews2(input, 2)).toMatchObject({ aggregate: 9, subScores: { spo2: 1 } });
  });

  it('COPD on scale 2, SpO2 89 % on air, RR 21: 0 + 2 = 2, low', () => {
    expect(scoreNews2(anInput({ spo2: 89, respiratoryRate: 21 }), 2)).toMatchObject({ aggregate: 2, risk: 'low' });
    expect(scoreNews2(anInput({ spo2: 89, respiratoryRate: 21 }), 1)).toMatchObject({ aggregate: 5, risk: 'medium', anySingleThree: true });
  });

  it('new confusion alone: aggregate 3 with a single 3 is low-medium', () => {
    expect(scoreNews2(anInput({ consciousness: 'confusion' }), 1)).toMatchObject({ aggregate: 3, anySingleThree: true, risk: 'low-medium' });
  });

  it('every parameter at its worst (hypothermia scores 3, fever only 2) reaches the maximum, 20', () => {
    const worst = anInput({ respiratoryRate: 30, spo2: 99, supplementalOxygen: true, systolicBp: 80, pulse: 140, consciousness: 'unresponsive', temperature: 34.5 });
    expect(scoreNews2(worst, 2)).toMatchObject({ aggregate: 20, risk: 'high' });
    expect(scoreNews2({ ...worst, spo2: 80 }, 1).aggregate).toBe(20);
  });
});

describe('news2Risk (RCP clinical response thresholds)', () => {
  const expected = (aggregate: number, three: boolean): News2Risk =>
    aggregate >= 7 ? 'high' : aggregate >= 5 ? 'medium' : three ? 'low-medium' : 'low';
  const cases: Array<[number, boolean]> = [
    ...Array.from({ length: 21 }, (_, a): [number, boolean] => [a, false]),
    ...Array.from({ length: 18 }, (_, a): [number, boolean] => [a + 3, true]),
  ];
  it.each(cases)(
    'aggregate %s, single 3 %s',
    (aggregate, three) => {
      expect(news2Risk(aggregate, three)).toBe(expected(aggregate, three));
      expect(NEWS2_RISKS).toContain(news2Risk(aggregate, three));
    },
  );
});

it('throws on a non-finite value instead of scoring it as normal', () => {
  expect(() => scoreNews2(anInput({ pulse: Number.NaN }), 1)).toThrow(RangeError);
  expect(() => scoreNews2(anInput({ temperature: Infinity }), 1)).toThrow(RangeError);
});
