import { LOCAL_CODES, LOINC } from '@rpm/vitals';
import { LOINC_SYSTEM, RPM_SYSTEMS, type Coding } from './fhir-types';

/** How each stored observation code appears in FHIR: its codings, category and profile (CLINICAL.md 6.1). */
export interface ObservationCodeMapping {
  readonly codings: readonly Coding[];
  readonly text: string;
  /** vital-signs for the vital-signs profile; glucose by meter is a laboratory result; reported answers are a survey. */
  readonly category: 'vital-signs' | 'laboratory' | 'survey';
  /** The R4 vital-signs profiles it follows (the base one and the specific one), if any. */
  readonly profiles: readonly string[];
}

const VITALS = 'http://hl7.org/fhir/StructureDefinition/vitalsigns';
const vital = (specific: string): string[] => [VITALS, `http://hl7.org/fhir/StructureDefinition/${specific}`];
const loinc = (code: string, display: string): Coding => ({ system: LOINC_SYSTEM, code, display });

export const OBSERVATION_CODES: Readonly<Record<string, ObservationCodeMapping>> = {
  [LOINC.bloodPressurePanel]: {
    codings: [loinc(LOINC.bloodPressurePanel, 'Blood pressure panel with all children optional')],
    text: 'Blood pressure',
    category: 'vital-signs',
    profiles: vital('bp'),
  },
  [LOINC.heartRate]: { codings: [loinc(LOINC.heartRate, 'Heart rate')], text: 'Heart rate', category: 'vital-signs', profiles: vital('heartrate') },
  // The core profile's 2708-6 and US Core's 59408-5 (by pulse oximetry): both, as US Core requires.
  [LOINC.spo2]: {
    codings: [
      loinc('2708-6', 'Oxygen saturation in Arterial blood'),
      loinc(LOINC.spo2, 'Oxygen saturation in Arterial blood by Pulse oximetry'),
    ],
    text: 'Oxygen saturation',
    category: 'vital-signs',
    profiles: vital('oxygensat'),
  },
  [LOINC.bodyWeight]: { codings: [loinc(LOINC.bodyWeight, 'Body weight')], text: 'Body weight', category: 'vital-signs', profiles: vital('bodyweight') },
  [LOINC.bodyTemperature]: { codings: [loinc(LOINC.bodyTemperature, 'Body temperature')], text: 'Body temperature', category: 'vital-signs', profiles: vital('bodytemp') },
  [LOINC.respiratoryRate]: { codings: [loinc(LOINC.respiratoryRate, 'Respiratory rate')], text: 'Respiratory rate', category: 'vital-signs', profiles: vital('resprate') },
  [LOINC.glucose]: {
    codings: [loinc(LOINC.glucose, 'Glucose [Mass/volume] in Capillary blood by Glucometer')],
    text: 'Blood glucose (meter)',
    category: 'laboratory',
    profiles: [],
  },
  [LOINC.consciousness]: { codings: [loinc(LOINC.consciousness, 'Level of responsiveness')], text: 'Level of responsiveness (ACVPU)', category: 'survey', profiles: [] },
  [LOCAL_CODES.supplementalOxygen]: {
    codings: [{ system: RPM_SYSTEMS.localCode, code: LOCAL_CODES.supplementalOxygen, display: 'On supplemental oxygen' }],
    text: 'On supplemental oxygen',
    category: 'survey',
    profiles: [],
  },
};

/** Component displays (BP pressures, oxygen flow). */
export const COMPONENT_CODES: Readonly<Record<string, Coding>> = {
  [LOINC.systolic]: loinc(LOINC.systolic, 'Systolic blood pressure'),
  [LOINC.diastolic]: loinc(LOINC.diastolic, 'Diastolic blood pressure'),
  [LOINC.oxygenFlow]: loinc(LOINC.oxygenFlow, 'Inhaled oxygen flow rate'),
};

/** Whether a searched code (any coding of an observation) selects this stored observation code. */
export function observationCodeMatches(storedCode: string, searched: string): boolean {
  const mapping = OBSERVATION_CODES[storedCode];
  return storedCode === searched || (mapping?.codings.some((c) => c.code === searched) ?? false);
}

/** UCUM codes of the units devices send (docs/device-contract.md), for the original-quantity extension. */
export const UCUM_OF_DEVICE_UNIT: Readonly<Record<string, string>> = {
  mmHg: 'mm[Hg]',
  kPa: 'kPa',
  lb: '[lb_av]',
  kg: 'kg',
  degF: '[degF]',
  Cel: 'Cel',
  'mg/dL': 'mg/dL',
  'mmol/L': 'mmol/L',
  '%': '%',
  '/min': '/min',
};
