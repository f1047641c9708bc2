import { LOINC, UCUM } from '@rpm/vitals';

/** How a component is shown to nurses: label, canonical UCUM unit, decimals (CLINICAL.md 1.6). */
export interface ComponentDisplay {
  readonly label: string;
  readonly unit: string;
  readonly decimals: number;
}

/**
 * The observation codes rules can subscribe to, and the component codes each carries.
 * Blood pressure is one observation (the panel) with two components; every other vital
 * is one observation whose single component has the observation's own code.
 */
export const COMPONENTS_OF_VITAL: Readonly<Record<string, readonly string[]>> = {
  [LOINC.bloodPressurePanel]: [LOINC.systolic, LOINC.diastolic],
  [LOINC.heartRate]: [LOINC.heartRate],
  [LOINC.spo2]: [LOINC.spo2],
  [LOINC.respiratoryRate]: [LOINC.respiratoryRate],
  [LOINC.bodyTemperature]: [LOINC.bodyTemperature],
  [LOINC.glucose]: [LOINC.glucose],
  [LOINC.bodyWeight]: [LOINC.bodyWeight],
};

/** Integers for mm[Hg], /min, % and mg/dL; one decimal for Cel and kg. */
export const COMPONENT_DISPLAY: Readonly<Record<string, ComponentDisplay>> = {
  [LOINC.systolic]: { label: 'systolic', unit: UCUM.mmHg, decimals: 0 },
  [LOINC.diastolic]: { label: 'diastolic', unit: UCUM.mmHg, decimals: 0 },
  [LOINC.heartRate]: { label: 'heart rate', unit: UCUM.perMinute, decimals: 0 },
  [LOINC.spo2]: { label: 'SpO2', unit: UCUM.percent, decimals: 0 },
  [LOINC.respiratoryRate]: { label: 'respiratory rate', unit: UCUM.perMinute, decimals: 0 },
  [LOINC.bodyTemperature]: { label: 'temperature', unit: UCUM.celsius, decimals: 1 },
  [LOINC.glucose]: { label: 'glucose', unit: UCUM.mgPerDl, decimals: 0 },
  [LOINC.bodyWeight]: { label: 'weight', unit: UCUM.kg, decimals: 1 },
};

export function displayOf(code: string): ComponentDisplay {
  return COMPONENT_DISPLAY[code] ?? { label: code, unit: '', decimals: 0 };
}
