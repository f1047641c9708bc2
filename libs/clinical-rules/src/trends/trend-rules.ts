import type { Program, Severity } from '@rpm/contracts';
import { LOINC } from '@rpm/vitals';
import type { Comparator } from '../rule-definition';

/**
 * Trend rules of CLINICAL.md section 0 / 2.2–2.4 as data. Thresholds are in canonical units
 * (kg, mm[Hg], %) and compared on unrounded values. Not clinical advice: every default needs
 * the clinical lead's sign-off.
 */

export type TrendPopulation = { readonly kind: 'all' } | { readonly kind: 'programs'; readonly programs: readonly Program[] };

interface TrendRuleBase {
  readonly id: string;
  /** Short clinical name, for the threshold text and logs. */
  readonly title: string;
  /** CLINICAL.md reference tags. */
  readonly source: string;
  readonly vital: string;
  readonly severity: Severity;
  readonly population: TrendPopulation;
  readonly enabledByDefault: boolean;
  /** Lesser rules this one replaces when both fire on the same reading. */
  readonly supersedes: readonly string[];
  readonly note?: string;
}

/**
 * Signed change of the day's first morning weight (kg) against a reference:
 * `day` = the first weight exactly `days` calendar days earlier (no gap bridging, 2.1);
 * `min` = the lowest first weight of the previous `days` days (2.2: more sensitive than
 * same-weekday; at least one of those days must have a weight).
 */
export interface WeightChange {
  readonly reference: 'day' | 'min';
  readonly days: number;
  readonly comparator: Comparator;
  readonly threshold: number;
}

export interface WeightTrendRule extends TrendRuleBase {
  readonly measure: 'weight_change';
  /** OR-ed, like threshold rule conditions. */
  readonly changes: readonly WeightChange[];
}

/** Mean of session means over `windowDays` local days ending on the reading's day; fires at >= either bound. */
export interface BpMeanRule extends TrendRuleBase {
  readonly measure: 'bp_mean';
  readonly windowDays: number;
  readonly minReadings: number;
  readonly minDays: number;
  /** Discard the first day of home BP monitoring (2.3). */
  readonly dropFirstDay: boolean;
  readonly systolic: number;
  readonly diastolic: number;
}

/** Daily median <= median of the previous `baselineDays` daily medians − `drop` (2.4). */
export interface Spo2DropRule extends TrendRuleBase {
  readonly measure: 'spo2_median_drop';
  readonly baselineDays: number;
  readonly minBaselineDays: number;
  readonly drop: number;
}

export type TrendRule = WeightTrendRule | BpMeanRule | Spo2DropRule;

const HF = { kind: 'programs', programs: ['heart_failure'] } as const;
const HTN = { kind: 'programs', programs: ['hypertension'] } as const;
const weight = { measure: 'weight_change', vital: LOINC.bodyWeight, population: HF, supersedes: [] } as const;
const bpMean = {
  measure: 'bp_mean',
  vital: LOINC.bloodPressurePanel,
  population: HTN,
  windowDays: 7,
  minReadings: 12,
  minDays: 4,
  dropFirstDay: true,
  enabledByDefault: true,
} as const;

export const TREND_RULES: readonly TrendRule[] = [
  {
    ...weight,
    id: 'HF-01',
    title: '1-day weight gain',
    source: '[HF-Allina] [HF-HW] [BEAT-HF] [ZHANG09]',
    changes: [{ reference: 'day', days: 1, comparator: '>', threshold: 1.36 }],
    severity: 'medium',
    enabledByDefault: true,
    note: '1.36 kg is just under 3 lb (1.3608 kg), so a gain of exactly 3.0 lb fires.',
  },
  {
    ...weight,
    id: 'HF-02',
    title: '7-day weight gain',
    source: '[HF-HW] [HF-Allina]',
    changes: [{ reference: 'min', days: 7, comparator: '>', threshold: 2.27 }],
    severity: 'medium',
    enabledByDefault: true,
    note: 'Reference: minimum first weight of the previous 7 days (CLINICAL.md 2.2), not the same weekday.',
  },
  {
    ...weight,
    id: 'HF-03',
    title: 'weight gain, sensitive profile',
    source: '[HF-MedStar] [HF-VHF]',
    changes: [
      { reference: 'day', days: 1, comparator: '>=', threshold: 0.91 },
      { reference: 'day', days: 2, comparator: '>=', threshold: 1.36 },
    ],
    severity: 'low',
    enabledByDefault: false,
    note: 'Opt-in "sensitive" profile only.',
  },
  {
    ...weight,
    id: 'HF-04',
    title: 'weight loss, possible over-diuresis',
    source: '[HF-VHF]',
    changes: [{ reference: 'day', days: 2, comparator: '<=', threshold: -0.91 }],
    severity: 'low',
    enabledByDefault: true,
  },
  {
    ...bpMean,
    id: 'BP-05',
    title: '7-day mean BP in stage-2 range',
    source: '[ACC17-MSD] [HC-HBPM] [HBPM-Stergiou]',
    systolic: 140,
    diastolic: 90,
    severity: 'medium',
    supersedes: ['BP-06'],
  },
  {
    ...bpMean,
    id: 'BP-06',
    title: '7-day mean BP above home threshold',
    source: '[AHA25-sum]',
    systolic: 130,
    diastolic: 80,
    severity: 'low',
    supersedes: [],
  },
  {
    id: 'SP-05',
    measure: 'spo2_median_drop',
    title: 'SpO2 downtrend',
    source: '[BTS17] [OXI20]',
    vital: LOINC.spo2,
    population: { kind: 'all' },
    baselineDays: 14,
    minBaselineDays: 7,
    drop: 3,
    severity: 'medium',
    enabledByDefault: true,
    supersedes: [],
  },
];

/**
 * Days of history before the newest day the state keeps, per vital: the longest look-back
 * of the default rules (HF-02: 7, BP-05/06: 6, SP-05: 14). Rules with longer windows need
 * a larger retention.
 */
export const TREND_RETENTION_DAYS = {
  weight: Math.max(...TREND_RULES.flatMap((r) => (r.measure === 'weight_change' ? r.changes.map((c) => c.days) : [0]))),
  bp: Math.max(...TREND_RULES.map((r) => (r.measure === 'bp_mean' ? r.windowDays - 1 : 0))),
  spo2: Math.max(...TREND_RULES.map((r) => (r.measure === 'spo2_median_drop' ? r.baselineDays : 0))),
} as const;
