import { DEFAULT_RULES, type RuleDefinition } from '@rpm/clinical-rules';

/** One bound of one default threshold rule: a horizontal line on the patient's chart. */
export interface ThresholdLine {
  readonly ruleId: string;
  /** The override address of this bound (rule-parameters.ts): `conditions.N` or `conditions.N.and`. */
  readonly parameter: string;
  readonly code: string;
  readonly comparator: string;
  readonly value: number;
  readonly enabledByDefault: boolean;
  /** null: every patient; else only patients in one of these programmes. */
  readonly programmes: readonly string[] | null;
  /** null: any SpO2 scale; else only patients on this scale. */
  readonly spo2Scale: number | null;
}

/**
 * The threshold lines of CLINICAL.md section 0, read from the library's DEFAULT_RULES when the
 * dashboards are generated (Grafana cannot call the library at query time). Rules that need a
 * patient fact the pipeline does not carry yet never fire, so they draw no line.
 */
export function thresholdLines(codes: readonly string[], rules: readonly RuleDefinition[] = DEFAULT_RULES): ThresholdLine[] {
  const lines: ThresholdLine[] = [];
  for (const rule of rules) {
    if (rule.requires.length > 0) continue;
    const population = rule.population;
    const programmes = population.kind === 'programs' ? population.programs : null;
    const spo2Scale = population.kind === 'spo2_scale' ? population.scale : null;
    rule.conditions.forEach((condition, i) => {
      if (!codes.includes(condition.code)) return;
      const common = { ruleId: rule.id, code: condition.code, enabledByDefault: rule.enabledByDefault, programmes, spo2Scale };
      lines.push({ ...common, parameter: `conditions.${i}`, comparator: condition.comparator, value: condition.threshold });
      if (condition.and) lines.push({ ...common, parameter: `conditions.${i}.and`, comparator: condition.and.comparator, value: condition.and.threshold });
    });
  }
  return lines;
}

const text = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const textArray = (items: readonly string[] | null): string => (items ? `ARRAY[${items.map(text).join(', ')}]::text[]` : 'NULL::text[]');

/**
 * SQL for Grafana (time_series, long format): each threshold line that applies to the patient
 * as a two-point series across the time range. The patient's programmes and SpO2 scale pick
 * the rules; a threshold override in patients.protocol_overrides (same rule and parameter,
 * given in the canonical unit or without a unit) replaces the default value, and an
 * `enabled` override switches a rule's lines on or off. Overrides in another unit (kPa, lb,
 * degF, mmol/L) and published programme protocol versions are not applied here.
 */
export function thresholdSql(codes: readonly string[], canonicalUnit: string, patientUuid: string): string {
  const lines = thresholdLines(codes);
  if (lines.length === 0) throw new Error(`no threshold rule reads ${codes.join(', ')}`);
  const rows = lines.map(
    (l) =>
      `  (${text(l.ruleId)}, ${text(l.parameter)}, ${text(l.comparator)}, ${l.value}::float8, ${l.enabledByDefault}, ${textArray(l.programmes)}, ${l.spo2Scale ?? 'NULL'}::smallint)`,
  );
  const latest = (condition: string, field: string, type: string): string =>
    `(SELECT (o->>'${field}')::${type} FROM jsonb_array_elements(p.protocol_overrides) WITH ORDINALITY AS x(o, n)
      WHERE o->>'ruleId' = d.rule_id AND o ? '${field}'${condition} ORDER BY n DESC LIMIT 1)`;
  return `WITH defaults (rule_id, parameter, comparator, threshold, enabled, programmes, spo2_scale) AS (VALUES
${rows.join(',\n')}
), settings AS (
  SELECT d.rule_id, d.comparator,
    coalesce(${latest(` AND o->>'parameter' = d.parameter AND coalesce(o->>'unit', ${text(canonicalUnit)}) = ${text(canonicalUnit)}`, 'value', 'float8')}, d.threshold) AS threshold,
    coalesce(${latest('', 'enabled', 'boolean')}, d.enabled) AS enabled
  FROM defaults d JOIN patients p ON p.id = ${patientUuid}
  WHERE (d.programmes IS NULL OR p.programs && d.programmes) AND (d.spo2_scale IS NULL OR d.spo2_scale = p.spo2_scale)
)
SELECT t.time, s.rule_id || ' ' || s.comparator || ' ' || s.threshold AS metric, s.threshold AS value
FROM settings s CROSS JOIN (VALUES ($__timeFrom()::timestamptz), ($__timeTo()::timestamptz)) AS t(time)
WHERE s.enabled ORDER BY 1, 2`;
}
