import { Program, Severity, Spo2Scale } from '@rpm/contracts';
import { z } from 'zod';
import { SEVERITY_RANK, downgradeSeverity } from './severity';
import { COMPONENTS_OF_VITAL } from './vital-codes';

/**
 * A threshold rule is data (CLINICAL.md section 0). Per-patient overrides, trends and
 * confirmation state arrive later and build on this shape; keep it declarative.
 */

export const COMPARATORS = ['>', '>=', '<', '<='] as const;
export const Comparator = z.enum(COMPARATORS);
export type Comparator = z.infer<typeof Comparator>;

const LoincCode = z.string().regex(/^\d{1,7}-\d$/, 'must be a LOINC code such as 8480-6');
/** "BP-01"; an optional suffix leaves room for variants such as a CGM form of a glucose rule. */
export const RuleId = z.string().regex(/^[A-Z]{2}-\d{2}(?:-[A-Z0-9]+)?$/, 'must look like BP-01');
/** One or more bracketed reference tags of CLINICAL.md, space separated: "[ACC17-crisis] [AHA25-GC]". */
export const SourceTags = z.string().regex(/^\[[A-Za-z0-9-]+\](?: \[[A-Za-z0-9-]+\])*$/, 'must be tags such as [BTS17] [NEWS2-chart]');

const isLower = (c: Comparator): boolean => c === '>' || c === '>=';

export const Bound = z.strictObject({ comparator: Comparator, threshold: z.number().refine(Number.isFinite) });
export type Bound = z.infer<typeof Bound>;

/**
 * One comparison on one component, in canonical units, on the unrounded value. `and` adds a
 * second bound on the same component for a band: RR 21–24 is `> 20` and `< 25`, which leaves
 * no gap for a non-integer value between the bands of neighbouring rules.
 */
export const Condition = z
  .strictObject({
    code: LoincCode,
    comparator: Comparator,
    threshold: z.number().refine(Number.isFinite),
    and: Bound.optional(),
  })
  .refine(
    (c) => {
      if (!c.and) return true;
      if (isLower(c.comparator) === isLower(c.and.comparator)) return false;
      const [lower, upper] = isLower(c.comparator) ? [c.threshold, c.and.threshold] : [c.and.threshold, c.threshold];
      return lower < upper;
    },
    { message: 'a band needs one lower (> or >=) and one upper (< or <=) bound, lower below upper', path: ['and'] },
  );
export type Condition = z.infer<typeof Condition>;

/** Who a rule applies to. SpO2 scale is set by a clinician, never inferred from programmes (CLINICAL.md 1.3). */
export const Population = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('programs'), programs: z.array(Program).min(1) }),
  z.strictObject({ kind: z.literal('spo2_scale'), scale: Spo2Scale }),
]);
export type Population = z.infer<typeof Population>;

/**
 * Patient facts a rule needs that the pipeline does not carry yet. A rule that requires one
 * never fires until the fact exists in the patient context, even when switched on.
 */
export const REQUIREMENTS = ['supplemental_o2', 'age_65_or_older'] as const;
export const Requirement = z.enum(REQUIREMENTS);
export type Requirement = z.infer<typeof Requirement>;

export const RuleDefinition = z.strictObject({
  id: RuleId,
  /** Short clinical name, shown in the summary: "hypertensive crisis range". */
  title: z.string().min(1).max(80),
  source: SourceTags,
  /** Observation code the rule reads (BP: the panel 85354-9; its conditions name 8480-6 / 8462-4). */
  vital: LoincCode,
  /** OR-ed: the rule fires when any condition holds. */
  conditions: z.array(Condition).min(1),
  severity: Severity,
  /** Full severity only after a second qualifying reading; a single reading is a "recheck", one level lower. */
  confirm: z.boolean(),
  /**
   * When a second qualifying reading confirms (CLINICAL.md 4.2, spot-check devices): at least
   * `minGapMinutes` and at most `withinMinutes` from the first, in measured time.
   */
  confirmWindow: z
    .strictObject({ minGapMinutes: z.number().nonnegative(), withinMinutes: z.number().positive() })
    .refine((w) => w.minGapMinutes < w.withinMinutes, { message: 'minGapMinutes must be below withinMinutes' })
    .default({ minGapMinutes: 1, withinMinutes: 30 }),
  population: Population,
  requires: z.array(Requirement).default([]),
  enabledByDefault: z.boolean(),
  /** Lesser rules this one replaces when both fire on the same reading. */
  supersedes: z.array(RuleId).default([]),
  /** Why a rule is off, what is Proposed, what is not modelled yet. */
  note: z.string().optional(),
});
export type RuleDefinition = z.infer<typeof RuleDefinition>;
export type RuleDefinitionInput = z.input<typeof RuleDefinition>;

/** Severity a rule shows on one reading: confirm rules start one level lower. */
export const singleReadingSeverity = (rule: Pick<RuleDefinition, 'severity' | 'confirm'>): Severity =>
  rule.confirm ? downgradeSeverity(rule.severity) : rule.severity;

function supersessionCycle(rules: readonly RuleDefinition[]): string | null {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const visit = (id: string, path: string[]): string | null => {
    if (path.includes(id)) return [...path, id].join(' -> ');
    for (const next of byId.get(id)?.supersedes ?? []) {
      const cycle = visit(next, [...path, id]);
      if (cycle) return cycle;
    }
    return null;
  };
  for (const rule of rules) {
    const cycle = visit(rule.id, []);
    if (cycle) return cycle;
  }
  return null;
}

/** A whole rule set, with the cross-rule checks a single definition cannot make. */
export const RuleSet = z.array(RuleDefinition).superRefine((rules, ctx) => {
  const byId = new Map<string, RuleDefinition>();
  rules.forEach((rule, i) => {
    if (byId.has(rule.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate rule id ${rule.id}` });
    byId.set(rule.id, rule);
    const components = COMPONENTS_OF_VITAL[rule.vital];
    if (!components) {
      ctx.addIssue({ code: 'custom', path: [i, 'vital'], message: `${rule.id}: no rules can read vital ${rule.vital}` });
    }
    rule.conditions.forEach((c, j) => {
      if (components && !components.includes(c.code)) {
        ctx.addIssue({ code: 'custom', path: [i, 'conditions', j, 'code'], message: `${rule.id}: ${c.code} is not a component of ${rule.vital}` });
      }
    });
  });
  rules.forEach((rule, i) => {
    rule.supersedes.forEach((target, j) => {
      const lesser = byId.get(target);
      const path = [i, 'supersedes', j];
      if (target === rule.id) ctx.addIssue({ code: 'custom', path, message: `${rule.id} supersedes itself` });
      else if (!lesser) ctx.addIssue({ code: 'custom', path, message: `${rule.id} supersedes unknown rule ${target}` });
      else if (lesser.vital !== rule.vital) ctx.addIssue({ code: 'custom', path, message: `${rule.id} supersedes ${target}, which reads another vital` });
      else if (SEVERITY_RANK[singleReadingSeverity(rule)] < SEVERITY_RANK[singleReadingSeverity(lesser)]) {
        // Supersession must never lower what the nurse sees on a single reading.
        ctx.addIssue({ code: 'custom', path, message: `${rule.id} supersedes the more severe ${target}` });
      }
    });
  });
  const cycle = supersessionCycle(rules);
  if (cycle) ctx.addIssue({ code: 'custom', path: [], message: `supersession cycle ${cycle}` });
});

/** Parses and deep-freezes a rule set; throws with every issue listed. */
export function parseRuleSet(input: unknown): readonly RuleDefinition[] {
  const parsed = RuleSet.safeParse(input);
  if (!parsed.success) {
    throw new Error(
      'Invalid rule set:\n' + parsed.error.issues.map((i) => `  ${i.path.map(String).join('.')}: ${i.message}`).join('\n'),
    );
  }
  return deepFreeze(parsed.data);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
