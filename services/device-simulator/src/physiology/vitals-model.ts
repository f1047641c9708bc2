import { PLAUSIBLE } from '@rpm/vitals';
import type { Rng } from '../random/rng';
import type { Baseline } from './baseline';
import type { EpisodeEffect } from './deterioration';

/**
 * What a device measures at one moment, canonical units: baseline + circadian rhythm +
 * episode + noise. Values are rounded the way devices display them and kept inside the
 * plausibility ranges of CLINICAL.md 7.1 (the simulator's implausible values are the
 * deliberate 2047 error frames, nothing else).
 */

export type GlucoseSlot = 'fasting' | 'pre_lunch' | 'post_dinner' | 'bedtime';

export interface MeasureContext {
  readonly baseline: Baseline;
  readonly effect: EpisodeEffect;
  /** Local hour of day with fraction (7.5 = 07:30), for the circadian terms. */
  readonly localHour: number;
  /** Measurement noise of this reading. */
  readonly rng: Rng;
}

/** Cosine with its peak at peakHour: the shape of a daily rhythm. */
function circadian(localHour: number, peakHour: number, amplitude: number): number {
  return amplitude * Math.cos((2 * Math.PI * (localHour - peakHour)) / 24);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

const round = (value: number, decimals = 0): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

export interface BloodPressure {
  readonly systolic: number;
  readonly diastolic: number;
}

/**
 * Morning surge (peak ~09:00) against the evening trough gives ~12 mmHg of rhythm; with the
 * session noise home readings swing by up to ~20 mmHg within a day (OMRON-FAQ). Later readings
 * in a session run a little lower (the alerting reaction fades). `sessionNoise` is shared by
 * all readings of one sitting so the pair stays close.
 */
export function measureBloodPressure(ctx: MeasureContext, sessionNoise: number, readingIndex: number): BloodPressure {
  const { baseline, effect, localHour, rng } = ctx;
  const settle = -2.5 * readingIndex;
  const sbp = baseline.systolic + effect.systolic + circadian(localHour, 9, 6) + sessionNoise + settle + rng.normal(0, 3);
  const dbp = baseline.diastolic + effect.diastolic + circadian(localHour, 9, 4) + sessionNoise * 0.5 + settle * 0.5 + rng.normal(0, 2.5);
  const systolic = round(clamp(sbp, 75, 235));
  // Keep a physiological pulse pressure (>= 20) so no reading trips the SBP <= DBP device-error rule.
  const diastolic = round(clamp(dbp, 45, Math.min(140, systolic - 20)));
  return { systolic, diastolic };
}

export function measureHeartRate(ctx: MeasureContext): number {
  const { baseline, effect, localHour, rng } = ctx;
  return round(clamp(baseline.heartRate + effect.heartRate + circadian(localHour, 14, 4) + rng.normal(0, 4), 38, 160));
}

export function measureSpo2(ctx: MeasureContext): number {
  const { baseline, effect, rng } = ctx;
  return round(clamp(baseline.spo2 + effect.spo2 + rng.normal(0, 0.9), 80, PLAUSIBLE.spo2.max));
}

/** Morning scale reading: day-to-day scatter of ~0.3 kg (hydration, clothing). */
export function measureWeightKg(ctx: MeasureContext): number {
  const { baseline, effect, rng } = ctx;
  return round(clamp(baseline.weightKg + effect.weightKg + rng.normal(0, 0.3), 40, 250), 1);
}

/**
 * Capillary glucose by meal slot. A per-patient share of readings are hypoglycaemic
 * episodes (45-68 mg/dL: ADA levels 1 and 2), so GL-01/GL-02 occur without an episode.
 */
export function measureGlucose(ctx: MeasureContext, slot: GlucoseSlot): number {
  const { baseline, effect, rng } = ctx;
  if (rng.chance(baseline.hypoRate)) return round(rng.uniform(45, 68));
  const mealRise: Record<GlucoseSlot, number> = { fasting: 0, pre_lunch: 12, post_dinner: 55, bedtime: 30 };
  const diabetic = baseline.fastingGlucose > 100;
  const rise = mealRise[slot] * (diabetic ? 1 : 0.4);
  const value = (baseline.fastingGlucose + rise + effect.glucose) * Math.exp(rng.normal(0, 0.1));
  return round(clamp(value, 40, 480));
}

/** Core temperature peaks late afternoon (~17:00) by ~0.3 degC. */
export function measureTemperature(ctx: MeasureContext): number {
  const { baseline, effect, localHour, rng } = ctx;
  return round(clamp(baseline.temperature + effect.temperature + circadian(localHour, 17, 0.3) + rng.normal(0, 0.15), 35.2, 41), 1);
}

export function measureRespiratoryRate(ctx: MeasureContext): number {
  const { baseline, effect, rng } = ctx;
  return round(clamp(baseline.respiratoryRate + effect.respiratoryRate + rng.normal(0, 1.2), 8, 40));
}
