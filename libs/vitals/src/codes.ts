import type { ReadingType } from '@rpm/contracts';

/** LOINC codes of the vitals we store (CLINICAL.md 6.1). */
export const LOINC = {
  bloodPressurePanel: '85354-9',
  systolic: '8480-6',
  diastolic: '8462-4',
  heartRate: '8867-4',
  /** Oxygen saturation by pulse oximetry (US Core also codes 2708-6). */
  spo2: '59408-5',
  bodyWeight: '29463-7',
  /** Capillary blood glucose by glucometer, mass/volume: the best fit for home meters. */
  glucose: '41653-7',
  bodyTemperature: '8310-5',
  respiratoryRate: '9279-1',
  /** Level of responsiveness (AVPU; ACVPU adds new confusion), reported through the hub app. */
  consciousness: '67775-7',
  /** Inhaled oxygen flow rate: the optional flow of a supplemental-oxygen report (CLINICAL.md 6.1). */
  oxygenFlow: '3151-8',
} as const;

/**
 * Codes of our own where LOINC has no verified code for what a home hub reports. The
 * "rpm-" prefix keeps them apart from LOINC's digits; the FHIR API (issue 9) maps them.
 */
export const LOCAL_CODES = {
  /** "Is the patient on supplemental oxygen?" (NEWS2 "air or oxygen"): 1 yes, 0 no. */
  supplementalOxygen: 'rpm-supplemental-oxygen',
} as const;

/** Canonical UCUM units (CLINICAL.md 1.6). */
export const UCUM = {
  mmHg: 'mm[Hg]',
  perMinute: '/min',
  percent: '%',
  kg: 'kg',
  mgPerDl: 'mg/dL',
  celsius: 'Cel',
  litersPerMinute: 'L/min',
  /** UCUM annotations for unitless coded answers. */
  acvpu: '{ACVPU}',
  yesNo: '{yes/no}',
} as const;

/** The observation code of each reading type (blood pressure: the panel). */
export const CODE_OF_TYPE: Record<ReadingType, string> = {
  blood_pressure: LOINC.bloodPressurePanel,
  heart_rate: LOINC.heartRate,
  spo2: LOINC.spo2,
  body_weight: LOINC.bodyWeight,
  glucose: LOINC.glucose,
  body_temperature: LOINC.bodyTemperature,
  respiratory_rate: LOINC.respiratoryRate,
  consciousness: LOINC.consciousness,
  supplemental_oxygen: LOCAL_CODES.supplementalOxygen,
};
