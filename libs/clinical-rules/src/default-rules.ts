import { LOINC } from '@rpm/vitals';
import { parseRuleSet, type RuleDefinitionInput } from './rule-definition';

/**
 * Single-reading threshold rules of CLINICAL.md section 0, in canonical units (mm[Hg], /min,
 * %, Cel, mg/dL). Not clinical advice: every default needs the clinical lead's sign-off.
 *
 * Bands are written so that neighbouring rules leave no gap for unrounded values
 * (SP-02 is > 91 and < 94, i.e. 92–93 for integer readings; GL-02 is >= 54 and < 70).
 *
 * Supersession: when both fire on one reading, the more specific or more severe rule
 * replaces the lesser one, so the nurse sees one item for one reading:
 * HR-01 > HR-02, BP-03 > BP-02, SP-04 > SP-03, RR-01 > RR-02, GL-04 > GL-03, and
 * BP-01 > BP-04 (an HF patient above 180 gets the crisis item, which asks for the recheck
 * and escalates to high on confirmation; BP-04 alone would be the same medium level).
 */
const ALL = { kind: 'all' } as const;
const SCALE_1 = { kind: 'spo2_scale', scale: 1 } as const;
const SCALE_2 = { kind: 'spo2_scale', scale: 2 } as const;

const bloodPressure: RuleDefinitionInput[] = [
  {
    id: 'BP-01',
    title: 'hypertensive crisis range',
    source: '[ACC17-crisis] [AHA25-GC] [AHA-pt]',
    vital: LOINC.bloodPressurePanel,
    conditions: [
      { code: LOINC.systolic, comparator: '>', threshold: 180 },
      { code: LOINC.diastolic, comparator: '>', threshold: 120 },
    ],
    severity: 'high',
    confirm: true,
    confirmWindow: { minGapMinutes: 5, withinMinutes: 30 },
    population: ALL,
    enabledByDefault: true,
    supersedes: ['BP-04'],
    note: 'Confirm: a repeat at least 5 min later also above 180/120.',
  },
  {
    id: 'BP-02',
    title: 'low blood pressure',
    source: '[HYPO] [BEAT-HF]',
    vital: LOINC.bloodPressurePanel,
    conditions: [
      { code: LOINC.systolic, comparator: '<', threshold: 90 },
      { code: LOINC.diastolic, comparator: '<', threshold: 60 },
    ],
    severity: 'medium',
    confirm: false,
    population: ALL,
    enabledByDefault: true,
    note: 'High if the patient reports symptoms: symptoms are not an input yet.',
  },
  {
    id: 'BP-03',
    title: 'severe low systolic pressure',
    source: '[BEAT-HF]',
    vital: LOINC.bloodPressurePanel,
    conditions: [{ code: LOINC.systolic, comparator: '<', threshold: 80 }],
    severity: 'high',
    confirm: true,
    population: ALL,
    enabledByDefault: true,
    supersedes: ['BP-02'],
  },
  {
    id: 'BP-04',
    title: 'high systolic pressure in heart failure',
    source: '[BEAT-HF]',
    vital: LOINC.bloodPressurePanel,
    conditions: [{ code: LOINC.systolic, comparator: '>', threshold: 170 }],
    severity: 'medium',
    confirm: false,
    population: { kind: 'programs', programs: ['heart_failure'] },
    enabledByDefault: true,
    note: 'The no-symptoms band; > 160 with symptoms needs a symptom input.',
  },
];

const heartRate: RuleDefinitionInput[] = [
  {
    id: 'HR-01',
    title: 'heart rate in the NEWS2 3-point band',
    source: '[NEWS2-chart] [BEAT-HF]',
    vital: LOINC.heartRate,
    conditions: [
      { code: LOINC.heartRate, comparator: '>=', threshold: 131 },
      { code: LOINC.heartRate, comparator: '<=', threshold: 40 },
    ],
    severity: 'high',
    confirm: true,
    population: ALL,
    enabledByDefault: true,
    supersedes: ['HR-02'],
    note: 'Resting reading assumed.',
  },
  {
    id: 'HR-02',
    title: 'tachycardia or bradycardia',
    source: '[BEAT-HF] [TELBIL]',
    vital: LOINC.heartRate,
    conditions: [
      { code: LOINC.heartRate, comparator: '>', threshold: 110 },
      { code: LOINC.heartRate, comparator: '<', threshold: 50 },
    ],
    severity: 'medium',
    confirm: false,
    population: ALL,
    enabledByDefault: true,
    note: 'Resting reading assumed.',
  },
];

const spo2: RuleDefinitionInput[] = [
  {
    id: 'SP-01',
    title: 'low SpO2 on scale 1, target 94–98 %',
    source: '[NEWS2-chart] [BTS17]',
    vital: LOINC.spo2,
    conditions: [{ code: LOINC.spo2, comparator: '<=', threshold: 91 }],
    severity: 'high',
    confirm: true,
    population: SCALE_1,
    enabledByDefault: true,
    note: 'On air. Confirm: a second reading at least 1 min later.',
  },
  {
    id: 'SP-02',
    title: 'SpO2 below target (scale 1)',
    source: '[NEWS2-chart]',
    vital: LOINC.spo2,
    conditions: [{ code: LOINC.spo2, comparator: '>', threshold: 91, and: { comparator: '<', threshold: 94 } }],
    severity: 'medium',
    confirm: false,
    population: SCALE_1,
    enabledByDefault: true,
  },
  {
    id: 'SP-03',
    title: 'SpO2 below the 88–92 % target (scale 2)',
    source: '[BTS17] [BTS-T3] [NEWS2-scale]',
    vital: LOINC.spo2,
    conditions: [{ code: LOINC.spo2, comparator: '<', threshold: 88 }],
    severity: 'medium',
    confirm: true,
    population: SCALE_2,
    enabledByDefault: true,
    note: 'The < 88 / <= 85 split is Proposed; the clinical lead may raise SP-03 to high (CLINICAL.md 1.3).',
  },
  {
    id: 'SP-04',
    title: 'severe low SpO2 (scale 2)',
    source: '[NEWS2-chart]',
    vital: LOINC.spo2,
    conditions: [{ code: LOINC.spo2, comparator: '<=', threshold: 85 }],
    severity: 'high',
    confirm: true,
    population: SCALE_2,
    enabledByDefault: true,
    supersedes: ['SP-03'],
  },
  {
    id: 'SP-06',
    title: 'over-oxygenation on supplemental O2 (scale 2)',
    source: '[NEWS2-chart]',
    vital: LOINC.spo2,
    conditions: [{ code: LOINC.spo2, comparator: '>=', threshold: 97 }],
    severity: 'low',
    confirm: false,
    population: SCALE_2,
    requires: ['supplemental_o2'],
    enabledByDefault: false,
    note: 'Needs to know the patient is on supplemental O2, which no input carries yet.',
  },
];

const respiratoryRate: RuleDefinitionInput[] = [
  {
    id: 'RR-01',
    title: 'respiratory rate in the NEWS2 3-point band',
    source: '[NEWS2-chart]',
    vital: LOINC.respiratoryRate,
    conditions: [
      { code: LOINC.respiratoryRate, comparator: '<=', threshold: 8 },
      { code: LOINC.respiratoryRate, comparator: '>=', threshold: 25 },
    ],
    severity: 'high',
    confirm: true,
    population: ALL,
    enabledByDefault: true,
    supersedes: ['RR-02'],
  },
  {
    id: 'RR-02',
    title: 'abnormal respiratory rate',
    source: '[NEWS2-chart] [TELBIL]',
    vital: LOINC.respiratoryRate,
    conditions: [
      { code: LOINC.respiratoryRate, comparator: '>', threshold: 20, and: { comparator: '<', threshold: 25 } },
      { code: LOINC.respiratoryRate, comparator: '<', threshold: 12 },
    ],
    severity: 'medium',
    confirm: false,
    population: ALL,
    enabledByDefault: true,
  },
];

const temperature: RuleDefinitionInput[] = [
  {
    id: 'TM-01',
    title: 'fever',
    source: '[FEVER] [NEWS2-chart]',
    vital: LOINC.bodyTemperature,
    conditions: [{ code: LOINC.bodyTemperature, comparator: '>=', threshold: 38.0 }],
    severity: 'medium',
    confirm: false,
    population: ALL,
    enabledByDefault: true,
  },
  {
    id: 'TM-02',
    title: 'low temperature (often a measurement error)',
    source: '[NEWS2-chart]',
    vital: LOINC.bodyTemperature,
    conditions: [{ code: LOINC.bodyTemperature, comparator: '<=', threshold: 35.0 }],
    severity: 'high',
    confirm: true,
    population: ALL,
    enabledByDefault: true,
  },
  {
    id: 'TM-03',
    title: 'fever by long-term-care criteria (age 65 or older)',
    source: '[FEVER]',
    vital: LOINC.bodyTemperature,
    conditions: [{ code: LOINC.bodyTemperature, comparator: '>=', threshold: 37.8 }],
    severity: 'medium',
    confirm: false,
    population: ALL,
    requires: ['age_65_or_older'],
    enabledByDefault: false,
    note: 'Needs age, not an input yet. The "+1.1 Cel over personal baseline" arm is a trend rule.',
  },
];

const GLUCOSE_NOTE = 'SMBG (meter) form: one reading. The CGM form (99504-3, sustained duration) is a stream rule.';

const glucose: RuleDefinitionInput[] = [
  {
    id: 'GL-01',
    title: 'level 2 hypoglycaemia',
    source: '[ADA-HYPO] [ADA-HYPO2]',
    vital: LOINC.glucose,
    conditions: [{ code: LOINC.glucose, comparator: '<', threshold: 54 }],
    severity: 'high',
    confirm: false,
    population: { kind: 'programs', programs: ['diabetes'] },
    enabledByDefault: true,
    note: GLUCOSE_NOTE,
  },
  {
    id: 'GL-02',
    title: 'level 1 hypoglycaemia',
    source: '[ADA-HYPO]',
    vital: LOINC.glucose,
    conditions: [{ code: LOINC.glucose, comparator: '>=', threshold: 54, and: { comparator: '<', threshold: 70 } }],
    severity: 'medium',
    confirm: false,
    population: { kind: 'programs', programs: ['diabetes'] },
    enabledByDefault: true,
    note: GLUCOSE_NOTE,
  },
  {
    id: 'GL-03',
    title: 'hyperglycaemia, prompt a ketone check',
    source: '[TIR19] [KET240]',
    vital: LOINC.glucose,
    conditions: [{ code: LOINC.glucose, comparator: '>', threshold: 250 }],
    severity: 'medium',
    confirm: false,
    population: { kind: 'programs', programs: ['diabetes'] },
    enabledByDefault: true,
    note: GLUCOSE_NOTE,
  },
  {
    id: 'GL-04',
    title: 'severe hyperglycaemia, check ketones',
    source: '[KET300] [DEX-G4R]',
    vital: LOINC.glucose,
    conditions: [{ code: LOINC.glucose, comparator: '>=', threshold: 300 }],
    severity: 'high',
    confirm: true,
    population: { kind: 'programs', programs: ['diabetes'] },
    enabledByDefault: true,
    supersedes: ['GL-03'],
    note: `${GLUCOSE_NOTE} Confirm = 2 consecutive SMBG readings. The meter "HIGH" sentinel is not in the device contract yet.`,
  },
];

/** The default rule set, validated (and frozen) at module load so a typo fails every test. */
export const DEFAULT_RULES = parseRuleSet([
  ...bloodPressure,
  ...heartRate,
  ...spo2,
  ...respiratoryRate,
  ...temperature,
  ...glucose,
]);
