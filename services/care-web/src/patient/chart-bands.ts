import type { EffectiveProtocolResponse, ThresholdProvenance } from '@rpm/contracts';

/**
 * A vital charted on the patient page. Systolic and diastolic get a chart each: on one chart the
 * diastolic bands would shade systolic values that break no rule.
 */
export interface ChartedVital {
  readonly key: string;
  readonly title: string;
  readonly unit: string;
  readonly decimals: number;
  readonly series: readonly { readonly code: string; readonly label: string }[];
}

/** The vitals with threshold rules, by the LOINC component codes the store keeps (CLINICAL.md 6.1). */
export const CHARTED_VITALS: readonly ChartedVital[] = [
  { key: 'sbp', title: 'Systolic blood pressure', unit: 'mm[Hg]', decimals: 0, series: [{ code: '8480-6', label: 'systolic' }] },
  { key: 'dbp', title: 'Diastolic blood pressure', unit: 'mm[Hg]', decimals: 0, series: [{ code: '8462-4', label: 'diastolic' }] },
  { key: 'hr', title: 'Heart rate', unit: '/min', decimals: 0, series: [{ code: '8867-4', label: 'heart rate' }] },
  { key: 'spo2', title: 'SpO2', unit: '%', decimals: 0, series: [{ code: '59408-5', label: 'SpO2' }] },
  { key: 'rr', title: 'Respiratory rate', unit: '/min', decimals: 0, series: [{ code: '9279-1', label: 'respiratory rate' }] },
  { key: 'temp', title: 'Temperature', unit: 'Cel', decimals: 1, series: [{ code: '8310-5', label: 'temperature' }] },
  { key: 'glucose', title: 'Glucose', unit: 'mg/dL', decimals: 0, series: [{ code: '41653-7', label: 'glucose' }] },
  { key: 'weight', title: 'Weight', unit: 'kg', decimals: 1, series: [{ code: '29463-7', label: 'weight' }] },
];

/**
 * Parameter descriptions name their component by the label of clinical-rules' COMPONENT_DISPLAY
 * ("systolic > 180 mm[Hg]"); the effective protocol carries no code of its own, so the label maps back.
 */
const CODE_OF_LABEL: Readonly<Record<string, string>> = Object.fromEntries(CHARTED_VITALS.flatMap((v) => v.series.map((s) => [s.label, s.code])));

type Comparator = '>' | '≥' | '<' | '≤';

/** A region of values that breaks a rule, or (for a mean rule) a reference line. */
export interface ThresholdBand {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: string;
  readonly code: string;
  /** null: unbounded on that side. For a line, from === to. */
  readonly from: number | null;
  readonly to: number | null;
  readonly kind: 'band' | 'mean-line';
  /** "systolic > 180 mm[Hg]" (and the second bound of a band). */
  readonly description: string;
  readonly provenance: readonly ThresholdProvenance[];
}

function parse(description: string): { code: string; comparator: Comparator } | null {
  const match = /^(.+?) (>|≥|<|≤) -?[\d.]+/.exec(description);
  const code = match?.[1] ? CODE_OF_LABEL[match[1]] : undefined;
  return match && code ? { code, comparator: match[2] as Comparator } : null;
}

const isLowerBound = (c: Comparator) => c === '>' || c === '≥';

type EffectiveRule = EffectiveProtocolResponse['rules'][number];

/**
 * Whether a rule can fire for this patient. The effective protocol lists every rule of the
 * patient's protocols, and the engine also checks each rule's population: the programme ones are
 * already settled by the protocol, the SpO2-scale ones are not. Until the response says so per
 * rule, the scale a rule is for is read from its title ("low SpO2 on scale 1", "… (scale 2)").
 */
export function appliesToPatient(rule: Pick<EffectiveRule, 'title'>, protocol: Pick<EffectiveProtocolResponse, 'spo2Scale'>): boolean {
  const scale = /\bscale ([12])\b/.exec(rule.title)?.[1];
  return scale === undefined || Number(scale) === protocol.spo2Scale;
}

/**
 * The patient's threshold bands per component code, from the effective protocol (so a patient
 * override moves its band): single-reading threshold rules become bands (`conditions.N`, with
 * `conditions.N.and` closing a band such as RR 21–24); the BP mean rules become reference lines.
 * Changes (weight gain, SpO2 drop) and cadences are not levels, and are left out.
 */
export function thresholdBands(protocol: EffectiveProtocolResponse): ThresholdBand[] {
  const bands: ThresholdBand[] = [];
  for (const rule of protocol.rules) {
    if (!rule.enabled || !appliesToPatient(rule, protocol)) continue;
    const base = { ruleId: rule.id, title: rule.title, severity: rule.severity };
    if (rule.kind === 'threshold') {
      for (const first of rule.parameters.filter((p) => /^conditions\.\d+$/.test(p.parameter))) {
        const parsed = parse(first.description);
        if (!parsed) continue;
        const second = rule.parameters.find((p) => p.parameter === `${first.parameter}.and`);
        // A condition is one bound, or a band whose `.and` is the opposite bound (RR > 20 and < 25).
        const [from, to] = isLowerBound(parsed.comparator) ? [first.value, second?.value ?? null] : [second?.value ?? null, first.value];
        bands.push({
          ...base,
          code: parsed.code,
          from,
          to,
          kind: 'band',
          description: second ? `${first.description} and ${second.description.replace(/^.+? (?=[<>≤≥])/, '')}` : first.description,
          provenance: second ? [first.provenance, second.provenance] : [first.provenance],
        });
      }
    } else if (rule.kind === 'trend') {
      for (const p of rule.parameters) {
        const parsed = /change/.test(p.description) ? null : parse(p.description);
        if (parsed) bands.push({ ...base, code: parsed.code, from: p.value, to: p.value, kind: 'mean-line', description: p.description, provenance: [p.provenance] });
      }
    }
  }
  return bands;
}

/** About `count` round tick values across [min, max] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const power = 10 ** Math.floor(Math.log10((max - min) / count));
  // The round step whose tick count comes closest to the one asked for.
  const steps = [1, 2, 5, 10].map((m) => m * power);
  const step = steps.reduce((best, s) => (Math.abs((max - min) / s - count) < Math.abs((max - min) / best - count) ? s : best));
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toFixed(10)));
  return ticks;
}

/** The y range: the readings, the band edges near them, and a margin so nothing sits on the frame. */
export function valueDomain(values: readonly number[], bands: readonly ThresholdBand[]): [number, number] {
  const edges = bands.flatMap((b) => [b.from, b.to]).filter((v): v is number => v !== null);
  const all = [...values, ...edges];
  if (all.length === 0) return [0, 1];
  let min = Math.min(...all);
  let max = Math.max(...all);
  if (values.length > 0) {
    // Keep far thresholds from flattening the readings: at most the readings' span again on each side.
    const span = Math.max(Math.max(...values) - Math.min(...values), 1);
    min = Math.max(min, Math.min(...values) - span * 2);
    max = Math.min(max, Math.max(...values) + span * 2);
  }
  const pad = Math.max((max - min) * 0.08, 0.5);
  return [min - pad, max + pad];
}
