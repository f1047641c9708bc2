import type { Spo2Scale } from '@rpm/contracts';
import { z } from 'zod';
import {
  Acvpu,
  CONSCIOUSNESS_POINTS,
  PULSE_BANDS,
  RESPIRATORY_RATE_BANDS,
  SPO2_SCALE_1_BANDS,
  SPO2_SCALE_2_AIR_BANDS,
  SPO2_SCALE_2_OXYGEN_BANDS,
  SUPPLEMENTAL_OXYGEN_POINTS,
  SYSTOLIC_BP_BANDS,
  TEMPERATURE_BANDS,
  pointsIn,
  type SubScore,
} from './bands';

/** The seven NEWS2 parameters, in chart order. */
export const NEWS2_PARAMETERS = [
  'respiratoryRate',
  'spo2',
  'supplementalOxygen',
  'systolicBp',
  'pulse',
  'consciousness',
  'temperature',
] as const;
export type News2Parameter = (typeof NEWS2_PARAMETERS)[number];

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** One complete NEWS2 input, canonical units: /min, %, mm[Hg], /min, Cel. Never defaulted (CLINICAL.md 3.1). */
export const News2Input = z.strictObject({
  respiratoryRate: finite,
  spo2: finite,
  /** true: on supplemental oxygen; false: on air. */
  supplementalOxygen: z.boolean(),
  systolicBp: finite,
  pulse: finite,
  consciousness: Acvpu,
  temperature: finite,
});
export type News2Input = z.infer<typeof News2Input>;

export type News2SubScores = Readonly<Record<News2Parameter, SubScore>>;

/** RCP clinical risk: single parameter = 3 is "low-medium" unless the aggregate is already 5 or more. */
export const NEWS2_RISKS = ['low', 'low-medium', 'medium', 'high'] as const;
export type News2Risk = (typeof NEWS2_RISKS)[number];

export interface News2Score {
  readonly scale: Spo2Scale;
  readonly subScores: News2SubScores;
  /** 0..20, the sum of the sub-scores. */
  readonly aggregate: number;
  /** Some parameter scored 3 (a "red score"). */
  readonly anySingleThree: boolean;
  readonly risk: News2Risk;
}

function spo2Points(spo2: number, onOxygen: boolean, scale: Spo2Scale): SubScore {
  if (scale === 1) return pointsIn(SPO2_SCALE_1_BANDS, spo2);
  return pointsIn(onOxygen ? SPO2_SCALE_2_OXYGEN_BANDS : SPO2_SCALE_2_AIR_BANDS, spo2);
}

export function news2Risk(aggregate: number, anySingleThree: boolean): News2Risk {
  if (aggregate >= 7) return 'high';
  if (aggregate >= 5) return 'medium';
  return anySingleThree ? 'low-medium' : 'low';
}

/**
 * Scores one complete NEWS2 set on the patient's SpO2 scale (1, or 2 for a documented
 * hypercapnic target of 88–92 %). Numeric values are rounded to the chart's resolution before
 * banding: temperature to 0.1 °C (CLINICAL.md 1.6), the others to integers. Throws on a
 * non-finite value: a NaN must never score as normal.
 */
export function scoreNews2(input: News2Input, scale: Spo2Scale): News2Score {
  const subScores: News2SubScores = Object.freeze({
    respiratoryRate: pointsIn(RESPIRATORY_RATE_BANDS, input.respiratoryRate),
    spo2: spo2Points(input.spo2, input.supplementalOxygen, scale),
    supplementalOxygen: SUPPLEMENTAL_OXYGEN_POINTS[input.supplementalOxygen ? 'oxygen' : 'air'],
    systolicBp: pointsIn(SYSTOLIC_BP_BANDS, input.systolicBp),
    pulse: pointsIn(PULSE_BANDS, input.pulse),
    consciousness: CONSCIOUSNESS_POINTS[input.consciousness],
    temperature: pointsIn(TEMPERATURE_BANDS, input.temperature),
  });
  const points = NEWS2_PARAMETERS.map((p) => subScores[p]);
  const aggregate = points.reduce<number>((sum, p) => sum + p, 0);
  const anySingleThree = points.includes(3);
  return { scale, subScores, aggregate, anySingleThree, risk: news2Risk(aggregate, anySingleThree) };
}
