import { LOINC, PLAUSIBLE, UCUM, fahrenheitToCelsius, kpaToMmHg, lbToKg, mmolPerLToMgPerDl, type PlausibleRange } from '@rpm/vitals';
import type { Comparator, RuleDefinition } from '../rule-definition';
import type { TrendRule } from '../trends';
import { displayOf } from '../vital-codes';

/**
 * The tunable numbers of a rule, by name: what a clinical lead or a patient override can set
 * (issue 3 section 2, issue 5). Names are stable addresses into the rule's data:
 * `conditions.N` / `conditions.N.and` (threshold rules), `changes.N` (weight trends),
 * `systolic` / `diastolic` (BP means), `drop` (SpO2 downtrend), `cadenceHours` (AD-01).
 */
export interface ParameterSpec {
  readonly name: string;
  /** Canonical unit of the value. */
  readonly unit: string;
  /** The component it is compared with (unit conversion, plausibility); null for hours. */
  readonly code: string | null;
  /** A change (weight gain, SpO2 drop) converts without offsets and is not a plausible reading. */
  readonly measure: 'absolute' | 'change' | 'hours';
  readonly comparator: Comparator | null;
  readonly value: number;
}

export type TunableRule =
  | { readonly kind: 'threshold'; readonly rule: RuleDefinition }
  | { readonly kind: 'trend'; readonly rule: TrendRule }
  | { readonly kind: 'missing_data'; readonly cadenceHours: number };

export function parametersOf(tunable: TunableRule): ParameterSpec[] {
  switch (tunable.kind) {
    case 'threshold':
      return tunable.rule.conditions.flatMap((c, i) => {
        const unit = displayOf(c.code).unit;
        const first: ParameterSpec = { name: `conditions.${i}`, unit, code: c.code, measure: 'absolute', comparator: c.comparator, value: c.threshold };
        return c.and
          ? [first, { name: `conditions.${i}.and`, unit, code: c.code, measure: 'absolute', comparator: c.and.comparator, value: c.and.threshold }]
          : [first];
      });
    case 'trend': {
      const rule = tunable.rule;
      switch (rule.measure) {
        case 'weight_change':
          return rule.changes.map((c, i) => ({ name: `changes.${i}`, unit: UCUM.kg, code: LOINC.bodyWeight, measure: 'change', comparator: c.comparator, value: c.threshold }));
        case 'bp_mean':
          return [
            { name: 'systolic', unit: UCUM.mmHg, code: LOINC.systolic, measure: 'absolute', comparator: '>=', value: rule.systolic },
            { name: 'diastolic', unit: UCUM.mmHg, code: LOINC.diastolic, measure: 'absolute', comparator: '>=', value: rule.diastolic },
          ];
        case 'spo2_median_drop':
          return [{ name: 'drop', unit: UCUM.percent, code: LOINC.spo2, measure: 'change', comparator: '>=', value: rule.drop }];
      }
      break;
    }
    case 'missing_data':
      return [{ name: 'cadenceHours', unit: 'h', code: null, measure: 'hours', comparator: '>=', value: tunable.cadenceHours }];
  }
}

/** A copy of the rule with one parameter set (the name must come from parametersOf). */
export function withParameter(tunable: TunableRule, name: string, value: number): TunableRule {
  if (tunable.kind === 'missing_data') return { kind: 'missing_data', cadenceHours: value };
  if (tunable.kind === 'threshold') {
    const [, index, and] = /^conditions\.(\d+)(\.and)?$/.exec(name) ?? [];
    const i = Number(index);
    const conditions = tunable.rule.conditions.map((c, j) => {
      if (j !== i) return c;
      if (and && c.and) return { ...c, and: { ...c.and, threshold: value } };
      return { ...c, threshold: value };
    });
    return { kind: 'threshold', rule: { ...tunable.rule, conditions } };
  }
  const rule = tunable.rule;
  switch (rule.measure) {
    case 'weight_change': {
      const i = Number(/^changes\.(\d+)$/.exec(name)?.[1]);
      return { kind: 'trend', rule: { ...rule, changes: rule.changes.map((c, j) => (j === i ? { ...c, threshold: value } : c)) } };
    }
    case 'bp_mean':
      return { kind: 'trend', rule: name === 'systolic' ? { ...rule, systolic: value } : { ...rule, diastolic: value } };
    case 'spo2_median_drop':
      return { kind: 'trend', rule: { ...rule, drop: value } };
  }
}

type Conversion = (value: number, measure: ParameterSpec['measure']) => number;
const same: Conversion = (v) => v;

/** Units a value may be given in, per component code, and how each becomes canonical. */
const CONVERSIONS: Readonly<Record<string, Readonly<Record<string, Conversion>>>> = {
  [LOINC.systolic]: { 'mm[Hg]': same, mmHg: same, kPa: (v) => kpaToMmHg(v) },
  [LOINC.diastolic]: { 'mm[Hg]': same, mmHg: same, kPa: (v) => kpaToMmHg(v) },
  [LOINC.bodyWeight]: { kg: same, lb: (v) => lbToKg(v), '[lb_av]': (v) => lbToKg(v) },
  [LOINC.bodyTemperature]: {
    Cel: same,
    degF: (v, m) => (m === 'change' ? (v * 5) / 9 : fahrenheitToCelsius(v)),
    '[degF]': (v, m) => (m === 'change' ? (v * 5) / 9 : fahrenheitToCelsius(v)),
  },
  [LOINC.glucose]: { 'mg/dL': same, 'mmol/L': (v) => mmolPerLToMgPerDl(v) },
  [LOINC.spo2]: { '%': same },
  [LOINC.heartRate]: { '/min': same },
  [LOINC.respiratoryRate]: { '/min': same },
};
const HOURS: Readonly<Record<string, Conversion>> = { h: same, d: (v) => v * 24, min: (v) => v / 60 };

/** The value in the parameter's canonical unit, or an error text naming the accepted units. */
export function toCanonical(spec: ParameterSpec, value: number, unit: string | undefined): number | string {
  const table = spec.code === null ? HOURS : (CONVERSIONS[spec.code] ?? { [spec.unit]: same });
  if (unit === undefined) return value;
  const convert = table[unit];
  if (!convert) return `unit ${unit} cannot be converted to ${spec.unit}; use one of ${Object.keys(table).join(', ')}`;
  return convert(value, spec.measure);
}

const RANGE_OF_CODE: Readonly<Record<string, PlausibleRange>> = {
  [LOINC.systolic]: PLAUSIBLE.systolic,
  [LOINC.diastolic]: PLAUSIBLE.diastolic,
  [LOINC.heartRate]: PLAUSIBLE.heartRate,
  [LOINC.spo2]: PLAUSIBLE.spo2,
  [LOINC.bodyWeight]: PLAUSIBLE.bodyWeight,
  [LOINC.glucose]: PLAUSIBLE.glucose,
  [LOINC.bodyTemperature]: PLAUSIBLE.bodyTemperature,
  [LOINC.respiratoryRate]: PLAUSIBLE.respiratoryRate,
};

/** Limits on changes and cadences (Proposed): wide enough for any clinical choice, narrow enough to catch a typo. */
const CHANGE_LIMITS: Readonly<Record<string, PlausibleRange>> = {
  [LOINC.bodyWeight]: { min: -10, max: 10, unit: UCUM.kg },
  [LOINC.spo2]: { min: 1, max: 20, unit: UCUM.percent },
};
const CADENCE_LIMITS: PlausibleRange = { min: 1, max: 24 * 30, unit: 'h' };

/** Why a canonical value cannot be this parameter's, or null. */
export function implausibleParameter(spec: ParameterSpec, value: number): string | null {
  const range = spec.measure === 'hours' ? CADENCE_LIMITS : spec.measure === 'change' ? CHANGE_LIMITS[spec.code ?? ''] : RANGE_OF_CODE[spec.code ?? ''];
  if (!range) return null;
  if (value < range.min || value > range.max) {
    const what = spec.measure === 'absolute' ? 'the plausible range (CLINICAL.md 7.1)' : 'the accepted range';
    return `${value} ${spec.unit} is outside ${what} ${range.min} to ${range.max} ${range.unit}`;
  }
  if (spec.measure === 'change' && value === 0) return 'a change of 0 would fire on every reading';
  return null;
}

/** "systolic > 180 mm[Hg]", "first-weight change > 1.36 kg", "no reading for ≥ 48 h". */
export function describeParameter(spec: ParameterSpec): string {
  const symbol = spec.comparator === null ? '' : { '>': '>', '>=': '≥', '<': '<', '<=': '≤' }[spec.comparator];
  if (spec.measure === 'hours') return `no reading for ${symbol} ${spec.value} h`;
  const label = spec.code ? displayOf(spec.code).label : spec.name;
  const what = spec.measure === 'change' ? `${label} change` : label;
  return `${what} ${symbol} ${spec.value} ${spec.unit}`;
}
