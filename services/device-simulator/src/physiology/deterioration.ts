import type { Program } from '@rpm/contracts';
import type { Rng } from '../random/rng';

const DAY_MS = 86_400_000;

export type EpisodeKind = 'hf_decompensation' | 'copd_exacerbation' | 'bp_escalation' | 'hyperglycaemia';

/** A deterioration: ramps up until peakAtMs, holds, then recovers (treatment) back to baseline. */
export interface Episode {
  readonly kind: EpisodeKind;
  readonly peakAtMs: number;
  /** How strongly this patient expresses it (0.8-1.3), so not every episode looks identical. */
  readonly intensity: number;
}

/** Shifts to add to the baseline, canonical units. */
export interface EpisodeEffect {
  weightKg: number;
  heartRate: number;
  spo2: number;
  systolic: number;
  diastolic: number;
  respiratoryRate: number;
  temperature: number;
  glucose: number;
}

export const NO_EFFECT: Readonly<EpisodeEffect> = Object.freeze({
  weightKg: 0, heartRate: 0, spo2: 0, systolic: 0, diastolic: 0, respiratoryRate: 0, temperature: 0, glucose: 0,
});

interface Shape {
  readonly rampDays: number;
  readonly plateauDays: number;
  readonly recoveryDays: number;
}

/**
 * Courses from CLINICAL.md 7.2: HF weight +0.9 kg over 14 days then faster (ZHANG09), COPD SpO2
 * -3 points with HR up over 5-7 days (OXI20), hypertension drifting into the crisis band.
 */
const SHAPES: Record<EpisodeKind, Shape> = {
  hf_decompensation: { rampDays: 18, plateauDays: 2, recoveryDays: 5 },
  copd_exacerbation: { rampDays: 6, plateauDays: 2, recoveryDays: 6 },
  bp_escalation: { rampDays: 10, plateauDays: 3, recoveryDays: 4 },
  hyperglycaemia: { rampDays: 5, plateauDays: 3, recoveryDays: 4 },
};

const EPISODE_BY_PROGRAM: Record<Program, EpisodeKind> = {
  heart_failure: 'hf_decompensation',
  copd: 'copd_exacerbation',
  hypertension: 'bp_escalation',
  diabetes: 'hyperglycaemia',
};

/**
 * Places the peak inside the observed window (30-90 % of the way through it, at least two
 * days wide) so a backfill of a few days already shows the alerts the episode should raise.
 */
export function planEpisode(programs: readonly Program[], windowStartMs: number, spanDays: number, rng: Rng): Episode | null {
  if (programs.length === 0) return null;
  const kind = EPISODE_BY_PROGRAM[rng.pick(programs)];
  const span = Math.max(spanDays, 2) * DAY_MS;
  return { kind, peakAtMs: windowStartMs + rng.uniform(0.3, 0.9) * span, intensity: rng.uniform(0.8, 1.3) };
}

/** 0 before the episode, rising to 1 at the peak, 1 on the plateau, falling back to 0. */
export function episodeProgress(episode: Episode, tMs: number): { ramp: number; level: number } {
  const shape = SHAPES[episode.kind];
  const daysFromPeak = (tMs - episode.peakAtMs) / DAY_MS;
  if (daysFromPeak <= 0) {
    const ramp = Math.max(0, 1 + daysFromPeak / shape.rampDays);
    return { ramp, level: ramp };
  }
  if (daysFromPeak <= shape.plateauDays) return { ramp: 1, level: 1 };
  const recovered = (daysFromPeak - shape.plateauDays) / shape.recoveryDays;
  return { ramp: 1, level: Math.max(0, 1 - recovered) };
}

/** HF weight: +0.9 kg over the first 14 days, then about +0.55 kg/day (the fast, alerting phase). */
function hfWeightGain(ramp: number): number {
  const days = ramp * SHAPES.hf_decompensation.rampDays;
  return days <= 14 ? (0.9 * days) / 14 : 0.9 + 0.55 * (days - 14);
}

export function episodeEffect(episode: Episode | null, tMs: number): EpisodeEffect {
  if (!episode) return { ...NO_EFFECT };
  const { ramp, level } = episodeProgress(episode, tMs);
  const k = episode.intensity;
  const effect: EpisodeEffect = { ...NO_EFFECT };
  switch (episode.kind) {
    case 'hf_decompensation': {
      // Weight scales with the plateau/recovery level: diuresis takes the gained fluid back off.
      const peakGain = hfWeightGain(1);
      effect.weightKg = k * (ramp < 1 ? hfWeightGain(ramp) : peakGain * level);
      effect.heartRate = k * 14 * level;
      effect.systolic = -6 * level;
      break;
    }
    case 'copd_exacerbation':
      effect.spo2 = -k * 3.5 * level;
      effect.heartRate = k * 14 * level;
      effect.respiratoryRate = k * 6 * level;
      effect.temperature = k * 0.9 * level;
      break;
    case 'bp_escalation':
      effect.systolic = k * 38 * level;
      effect.diastolic = k * 18 * level;
      effect.heartRate = 5 * level;
      break;
    case 'hyperglycaemia':
      effect.glucose = k * 130 * level;
      break;
  }
  return effect;
}
