import type { AlertEvidence, ObservationComponent, ObservationV1, Program, Severity, Spo2Scale } from '@rpm/contracts';
import { holds } from './conditions';
import { evidenceOf } from './evidence';
import { DEFAULT_RULES } from './default-rules';
import { capitalize, describeMatch, describeThreshold } from './describe';
import type { Condition, Population, RuleDefinition } from './rule-definition';
import { downgradeSeverity } from './severity';

/** What the threshold rules need to know about a patient (from rpm.rules.config.v1). */
export interface PatientContext {
  readonly patientId: string;
  readonly programs: readonly Program[];
  readonly spo2Scale: Spo2Scale;
}

export interface RuleFiring {
  readonly ruleId: string;
  readonly ruleSource: string;
  readonly severity: Severity;
  /** "recheck": a confirm rule saw one qualifying reading and fired one level lower. */
  readonly kind: 'alert' | 'recheck';
  readonly summary: string;
  readonly threshold: string;
  /** DQ-02: measured more than RETROSPECTIVE_AFTER_MS before it arrived. */
  readonly retrospective: boolean;
  readonly evidence: AlertEvidence[];
}

/**
 * DQ-02 (Proposed): a reading that arrives more than 24 h after it was measured is still
 * evaluated, but single-reading alerts drop one level and say "retrospective": by then
 * the nurse cannot act on it as a current value.
 */
export const RETROSPECTIVE_AFTER_MS = 24 * 60 * 60 * 1000;

export function isRetrospective(observation: Pick<ObservationV1, 'measuredAt' | 'receivedAt'>): boolean {
  return Date.parse(observation.receivedAt) - Date.parse(observation.measuredAt) > RETROSPECTIVE_AFTER_MS;
}

export function appliesTo(population: Population, patient: Pick<PatientContext, 'programs' | 'spo2Scale'>): boolean {
  switch (population.kind) {
    case 'all':
      return true;
    case 'programs':
      return population.programs.some((p) => patient.programs.includes(p));
    case 'spo2_scale':
      return population.scale === patient.spo2Scale;
  }
}

interface Match {
  readonly rule: RuleDefinition;
  readonly matched: ReadonlyArray<{ condition: Condition; component: ObservationComponent }>;
}

function match(rule: RuleDefinition, observation: ObservationV1): Match | null {
  const matched = rule.conditions.flatMap((condition) => {
    const component = observation.components.find((c) => c.code === condition.code);
    return component && holds(condition, component.value) ? [{ condition, component }] : [];
  });
  return matched.length > 0 ? { rule, matched } : null;
}

/** Every component the rule reads, whether or not it crossed: BP-01 shows both SBP and DBP. */
const ruleEvidence = (rule: RuleDefinition, observation: ObservationV1): AlertEvidence[] => evidenceOf(observation, rule.conditions.map((c) => c.code));

function hoursBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 3_600_000);
}

function toFiring({ rule, matched }: Match, observation: ObservationV1, retrospective: boolean): RuleFiring {
  const kind = rule.confirm ? 'recheck' : 'alert';
  let severity = rule.severity;
  if (kind === 'recheck') severity = downgradeSeverity(severity);
  if (retrospective) severity = downgradeSeverity(severity);

  let summary = `${capitalize(matched.map((m) => describeMatch(m.condition, m.component)).join(', '))} (${rule.id} ${rule.title})`;
  if (kind === 'recheck') summary += ' — recheck requested';
  if (retrospective) {
    summary += ` — retrospective: measured ${hoursBetween(observation.measuredAt, observation.receivedAt)} h before it arrived`;
  }
  return {
    ruleId: rule.id,
    ruleSource: rule.source,
    severity,
    kind,
    summary,
    threshold: describeThreshold(rule),
    retrospective,
    evidence: ruleEvidence(rule, observation),
  };
}

/**
 * Evaluates the single-reading threshold rules on one normalised observation.
 *
 * - Only rules that are enabled, read this observation's code, apply to the patient's
 *   population and need no patient fact the context lacks (`requires`) are considered.
 * - A confirm rule fires as a "recheck", one level lower (its stateful confirmation comes later).
 * - DQ-02 lowers every firing one more level when the reading arrived more than 24 h late.
 * - A firing rule removes the lesser rules it `supersedes`.
 *
 * The result depends on the observation alone (measuredAt vs receivedAt, never the wall
 * clock), so a replayed reading gives the same firings. `now` is the evaluation time, kept
 * in the signature for the stateful rules (confirmation windows, suppression) that use it.
 * Firings come in rule-set order.
 */
export function evaluateReading(
  observation: ObservationV1,
  patient: PatientContext,
  now: Date,
  rules: readonly RuleDefinition[] = DEFAULT_RULES,
): RuleFiring[] {
  if (observation.patientId !== patient.patientId) {
    throw new Error(`observation ${observation.observationId} belongs to another patient than the context ${patient.patientId}`);
  }
  const matches = rules
    .filter((r) => r.enabledByDefault && r.requires.length === 0 && r.vital === observation.code)
    .filter((r) => appliesTo(r.population, patient))
    .map((r) => match(r, observation))
    .filter((m): m is Match => m !== null);
  if (matches.length === 0) return [];
  const retrospective = isRetrospective(observation);
  const superseded = new Set(matches.flatMap((m) => m.rule.supersedes));
  return matches.filter((m) => !superseded.has(m.rule.id)).map((m) => toFiring(m, observation, retrospective));
}
