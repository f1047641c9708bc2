/** Unit conversions to canonical UCUM (CLINICAL.md 1.6). Thresholds compare unrounded values. */

/** International avoirdupois pound, exact. */
export const KG_PER_LB = 0.45359237;
/** mmHg per kPa (1 mmHg = 133.322 Pa). */
export const MMHG_PER_KPA = 7.50062;
/** mg/dL per mmol/L for glucose (molar mass 180.156 g/mol / 10). */
export const MGDL_PER_MMOLL = 18.016;

export const kpaToMmHg = (kpa: number): number => kpa * MMHG_PER_KPA;
export const lbToKg = (lb: number): number => lb * KG_PER_LB;
export const mmolPerLToMgPerDl = (mmol: number): number => mmol * MGDL_PER_MMOLL;
export const fahrenheitToCelsius = (f: number): number => ((f - 32) * 5) / 9;
