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
} as const;

/** Canonical UCUM units (CLINICAL.md 1.6). */
export const UCUM = {
  mmHg: 'mm[Hg]',
  perMinute: '/min',
  percent: '%',
  kg: 'kg',
  mgPerDl: 'mg/dL',
  celsius: 'Cel',
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
};
