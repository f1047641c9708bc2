/**
 * Plausibility ranges (CLINICAL.md 7.1): values outside them are device errors, rejected
 * (dead-lettered as "implausible"), never alerted on. Limits marked Proposed there are
 * engineering judgement awaiting clinical sign-off.
 */

/** SFLOAT NaN (0x07FF): BLE cuffs send it in every field of an error frame. */
export const SFLOAT_NAN = 2047;

export interface PlausibleRange {
  readonly min: number;
  readonly max: number;
  readonly unit: string;
}

/** Inclusive accepted ranges, in canonical units. */
export const PLAUSIBLE = {
  systolic: { min: 40, max: 300, unit: 'mm[Hg]' },
  diastolic: { min: 20, max: 200, unit: 'mm[Hg]' },
  heartRate: { min: 20, max: 300, unit: '/min' },
  spo2: { min: 0, max: 100, unit: '%' },
  bodyWeight: { min: 20, max: 350, unit: 'kg' },
  // Meters report 20-600 mg/dL; CGM values at or below 39 are error codes, not glucose.
  // Above 600 is "flag and confirm" in CLINICAL.md, so it is accepted here (Proposed).
  glucose: { min: 20, max: 1000, unit: 'mg/dL' },
  bodyTemperature: { min: 25, max: 45, unit: 'Cel' },
  respiratoryRate: { min: 3, max: 70, unit: '/min' },
  // Home concentrators deliver up to 10 L/min; high-flow systems up to 60 (Proposed).
  oxygenFlow: { min: 0, max: 60, unit: 'L/min' },
} as const satisfies Record<string, PlausibleRange>;

/** Why a value is implausible, or null when it is plausible. */
export function implausibility(name: string, value: number, range: PlausibleRange): string | null {
  if (value < range.min || value > range.max) {
    return `${name} outside the plausible range ${range.min}-${range.max} ${range.unit}`;
  }
  return null;
}
