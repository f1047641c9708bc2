import { PLAUSIBLE } from '@rpm/vitals';
import { createRng } from '../random/rng';
import { drawBaseline, type Baseline } from './baseline';
import { NO_EFFECT, type EpisodeEffect } from './deterioration';
import * as vitals from './vitals-model';

const hypertensive: Baseline = drawBaseline(['hypertension'], createRng(3));
const ctx = (hour: number, seed: number, effect: Partial<EpisodeEffect> = {}, baseline: Baseline = hypertensive): vitals.MeasureContext => ({
  baseline,
  effect: { ...NO_EFFECT, ...effect },
  localHour: hour,
  rng: createRng(seed),
});
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const N = 400;

describe('vitals model', () => {
  it('home BP is higher in the morning than the evening, swinging up to ~20 mmHg within a day', () => {
    const morning = Array.from({ length: N }, (_, i) => vitals.measureBloodPressure(ctx(8, i), 0, 0).systolic);
    const evening = Array.from({ length: N }, (_, i) => vitals.measureBloodPressure(ctx(21, i + N), 0, 0).systolic);
    const gap = mean(morning) - mean(evening);
    expect(gap).toBeGreaterThan(6);
    expect(gap).toBeLessThan(20);
  });

  it('a repeat reading in the same sitting runs a little lower', () => {
    const first = Array.from({ length: N }, (_, i) => vitals.measureBloodPressure(ctx(8, i), 0, 0).systolic);
    const second = Array.from({ length: N }, (_, i) => vitals.measureBloodPressure(ctx(8, i), 0, 1).systolic);
    expect(mean(second)).toBeLessThan(mean(first));
  });

  it('deterioration moves each vital the clinically expected way', () => {
    const copd = drawBaseline(['copd'], createRng(5));
    const avg = (f: (c: vitals.MeasureContext) => number, effect: Partial<EpisodeEffect>, b: Baseline): number =>
      mean(Array.from({ length: N }, (_, i) => f(ctx(9, i, effect, b))));
    expect(avg(vitals.measureSpo2, { spo2: -3.5 }, copd)).toBeLessThan(avg(vitals.measureSpo2, {}, copd) - 2.5);
    expect(avg(vitals.measureHeartRate, { heartRate: 14 }, copd)).toBeGreaterThan(avg(vitals.measureHeartRate, {}, copd) + 10);
    expect(avg(vitals.measureWeightKg, { weightKg: 2.9 }, copd)).toBeGreaterThan(avg(vitals.measureWeightKg, {}, copd) + 2.5);
    expect(avg(vitals.measureRespiratoryRate, { respiratoryRate: 6 }, copd)).toBeGreaterThan(avg(vitals.measureRespiratoryRate, {}, copd) + 4);
    expect(avg(vitals.measureTemperature, { temperature: 0.9 }, copd)).toBeGreaterThan(avg(vitals.measureTemperature, {}, copd) + 0.7);
    const crisis = Array.from({ length: N }, (_, i) => vitals.measureBloodPressure(ctx(8, i, { systolic: 45, diastolic: 20 }), 0, 0).systolic);
    expect(crisis.some((s) => s > 180)).toBe(true);
  });

  it('diabetes produces occasional hypos and, in an episode, hypers', () => {
    const diabetic: Baseline = { ...drawBaseline(['diabetes'], createRng(9)), hypoRate: 0.05 };
    const normal = Array.from({ length: 2000 }, (_, i) => vitals.measureGlucose(ctx(7, i, {}, diabetic), 'fasting'));
    expect(normal.some((g) => g < 70)).toBe(true);
    const hyper = Array.from({ length: N }, (_, i) => vitals.measureGlucose(ctx(20, i, { glucose: 130 }, diabetic), 'post_dinner'));
    expect(hyper.some((g) => g > 250)).toBe(true);
  });

  it('keeps every value inside the plausibility ranges, even at extreme episodes', () => {
    const extreme: Partial<EpisodeEffect> = { systolic: 120, diastolic: 90, heartRate: 200, spo2: -40, weightKg: 300, glucose: 900, temperature: 8, respiratoryRate: 80 };
    for (const effect of [{}, extreme, { systolic: -150, diastolic: -90, heartRate: -90, temperature: -5 }]) {
      for (let i = 0; i < 300; i++) {
        for (const p of [['hypertension'], ['copd'], ['heart_failure'], ['diabetes']] as const) {
          const c = ctx(i % 24, i, effect, drawBaseline(p, createRng(i)));
          const bp = vitals.measureBloodPressure(c, createRng(i).normal(0, 5), i % 3);
          expect(bp.systolic).toBeGreaterThanOrEqual(PLAUSIBLE.systolic.min);
          expect(bp.systolic).toBeLessThanOrEqual(PLAUSIBLE.systolic.max);
          expect(bp.diastolic).toBeGreaterThanOrEqual(PLAUSIBLE.diastolic.min);
          expect(bp.systolic - bp.diastolic).toBeGreaterThanOrEqual(20);
          const within = (v: number, r: { min: number; max: number }): void => {
            expect(v).toBeGreaterThanOrEqual(r.min);
            expect(v).toBeLessThanOrEqual(r.max);
          };
          within(vitals.measureHeartRate(c), PLAUSIBLE.heartRate);
          within(vitals.measureSpo2(c), PLAUSIBLE.spo2);
          within(vitals.measureWeightKg(c), PLAUSIBLE.bodyWeight);
          within(vitals.measureGlucose(c, 'bedtime'), PLAUSIBLE.glucose);
          within(vitals.measureTemperature(c), PLAUSIBLE.bodyTemperature);
          within(vitals.measureRespiratoryRate(c), PLAUSIBLE.respiratoryRate);
        }
      }
    }
  });
});
