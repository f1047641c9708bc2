import type { Program } from '@rpm/contracts';
import type { Rng } from '../random/rng';

/** A patient's usual values, in canonical units; daily variation and episodes add to these. */
export interface Baseline {
  readonly systolic: number;
  readonly diastolic: number;
  readonly heartRate: number;
  readonly spo2: number;
  readonly weightKg: number;
  readonly fastingGlucose: number;
  readonly temperature: number;
  readonly respiratoryRate: number;
  /** Per-patient chance that a glucose reading is a hypoglycaemic episode (diabetes only). */
  readonly hypoRate: number;
}

/**
 * Baselines typical of each programme (CLINICAL.md section 1): treated hypertension sits
 * around stage 1-2, HF runs lower BP, COPD lives at 91-96 % SpO2.
 */
export function drawBaseline(programs: readonly Program[], rng: Rng): Baseline {
  const has = (p: Program): boolean => programs.includes(p);
  const systolic = has('heart_failure') && !has('hypertension') ? rng.uniform(108, 128) : has('hypertension') ? rng.uniform(132, 150) : rng.uniform(118, 135);
  return {
    systolic,
    diastolic: systolic * rng.uniform(0.58, 0.66),
    heartRate: has('heart_failure') ? rng.uniform(68, 82) : rng.uniform(62, 78),
    spo2: has('copd') ? rng.uniform(91.5, 95.5) : rng.uniform(95.5, 98),
    weightKg: rng.uniform(58, 112),
    fastingGlucose: has('diabetes') ? rng.uniform(105, 150) : rng.uniform(85, 100),
    temperature: rng.uniform(36.4, 36.8),
    respiratoryRate: has('copd') ? rng.uniform(16, 19) : rng.uniform(13, 16),
    hypoRate: has('diabetes') ? rng.uniform(0.01, 0.05) : 0,
  };
}
