import type { ExplainedThreshold, PatientProtocolV1, Program, ProtocolOverride, Severity, Spo2Scale, ThresholdProvenance } from '@rpm/contracts';
import { DEFAULT_RULES } from '../default-rules';
import { appliesTo } from '../evaluate-threshold';
import { NEWS2_RULES, type News2Rule } from '../news2';
import { Condition, type RuleDefinition } from '../rule-definition';
import { TREND_RULES, type TrendRule } from '../trends';
import { MISSING_DATA_RULE, PROGRAMME_PROTOCOLS, type ProtocolId } from './programme-protocols';
import { describeParameter, implausibleParameter, parametersOf, toCanonical, withParameter, type TunableRule } from './rule-parameters';

export type RuleKind = 'threshold' | 'trend' | 'news2' | 'missing_data';

export interface EffectiveParameter extends ExplainedThreshold {
  /** The rule default, for comparison when overridden. */
  readonly defaultValue: number;
  /** The LOINC code of the component it bounds (a chart draws the band on that vital); null for a cadence. */
  readonly code: string | null;
}

/** One rule as it applies to one patient, and where each of its values came from. */
export interface EffectiveRule {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  readonly kind: RuleKind;
  readonly severity: Severity | 'info' | 'graded';
  readonly enabled: boolean;
  readonly enabledProvenance: ThresholdProvenance;
  /** False for a rule of another population the protocol lists (an SpO2 scale-2 rule for a scale-1 patient): it never fires for this patient. */
  readonly applies: boolean;
  /** The protocol that brought the rule in: "general" or a programme. */
  readonly protocol: ProtocolId;
  /** "heart_failure v1", or "heart_failure v1 + patient v3" when the patient overrides it. */
  readonly version: string;
  readonly parameters: readonly EffectiveParameter[];
}

export interface ProtocolIssue {
  /** Path into the request: "overrides.2.value". */
  readonly path: string;
  readonly message: string;
}

/** Everything the monitor needs to judge one patient, resolved once per protocol version. */
export interface EffectiveProtocol {
  /** The patient protocol version it was resolved from. No patient id: patients with the same protocol share one. */
  readonly version: number;
  readonly programs: readonly Program[];
  readonly spo2Scale: Spo2Scale;
  readonly timezone: string;
  readonly rules: readonly EffectiveRule[];
  /** Enabled rules only, overrides applied, ready for the evaluators. */
  readonly thresholdRules: readonly RuleDefinition[];
  readonly trendRules: readonly TrendRule[];
  /** The same rules by the observation code they read: the per-reading lookup. */
  readonly thresholdRulesByVital: ReadonlyMap<string, readonly RuleDefinition[]>;
  readonly trendRulesByVital: ReadonlyMap<string, readonly TrendRule[]>;
  readonly news2Rules: readonly News2Rule[];
  readonly missingData: { readonly cadenceMs: number } | null;
  /** Overrides that failed validation and were left out (the API refuses them; a stale record may hold one). */
  readonly issues: readonly ProtocolIssue[];
}

type PatientProtocolInput = Pick<PatientProtocolV1, 'spo2Scale' | 'timezone' | 'version'> & {
  readonly programs: readonly Program[];
  readonly overrides?: readonly ProtocolOverride[];
};

interface Candidate {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  readonly severity: EffectiveRule['severity'];
  readonly enabledByDefault: boolean;
  readonly protocol: ProtocolId;
  readonly tunable: TunableRule | null;
  readonly news2?: News2Rule;
}

function candidatesFor(programs: readonly Program[]): Candidate[] {
  const protocols: ProtocolId[] = ['general', ...programs];
  const seen = new Map<string, Candidate>();
  for (const protocolId of protocols) {
    const protocol = PROGRAMME_PROTOCOLS[protocolId];
    for (const id of protocol.rules) {
      if (seen.has(id)) continue;
      const threshold = DEFAULT_RULES.find((r) => r.id === id);
      const trend = TREND_RULES.find((r) => r.id === id);
      const news2 = NEWS2_RULES.find((r) => r.id === id);
      let candidate: Candidate | null = null;
      if (threshold) {
        // `requires` names a patient fact the pipeline lacks: such a rule stays off.
        const enabledByDefault = threshold.enabledByDefault && threshold.requires.length === 0;
        candidate = { ...threshold, severity: threshold.severity, enabledByDefault, protocol: protocolId, tunable: { kind: 'threshold', rule: threshold } };
      } else if (trend) {
        candidate = { ...trend, protocol: protocolId, tunable: { kind: 'trend', rule: trend } };
      } else if (news2) {
        candidate = { ...news2, severity: news2.level, enabledByDefault: true, protocol: protocolId, tunable: null, news2 };
      } else if (id === MISSING_DATA_RULE.id && protocol.cadenceHours !== null) {
        candidate = { ...MISSING_DATA_RULE, enabledByDefault: true, protocol: protocolId, tunable: { kind: 'missing_data', cadenceHours: protocol.cadenceHours } };
      }
      if (candidate) seen.set(id, candidate);
    }
  }
  // Version 1 of every programme is the rule defaults; later versions' settings come as programmeVersions.
  return [...seen.values()];
}

const overrideProvenance = (o: ProtocolOverride): ThresholdProvenance => ({
  source: 'patient_override',
  protocol: 'patient',
  version: o.version,
  setBy: o.setBy,
  setAt: o.setAt,
  ...(o.reason ? { reason: o.reason } : {}),
});

/** Checks that a rule still makes sense after its parameters changed (bands in order, BP systolic above diastolic). */
function ruleProblem(tunable: TunableRule): string | null {
  if (tunable.kind === 'threshold') {
    for (const condition of tunable.rule.conditions) {
      const parsed = Condition.safeParse(condition);
      if (!parsed.success) return `the band would be empty: ${parsed.error.issues[0]?.message ?? 'invalid band'}`;
    }
  }
  if (tunable.kind === 'trend' && tunable.rule.measure === 'bp_mean' && tunable.rule.systolic <= tunable.rule.diastolic) {
    return 'the systolic mean threshold must be above the diastolic one';
  }
  return null;
}

/**
 * A published version of a programme protocol (issue 5): its settings over the rule defaults,
 * each with who set it and why. Version 1 of every programme is the library default (no settings).
 */
export interface PublishedProgrammeProtocol {
  readonly version: number;
  readonly settings: readonly ProtocolOverride[];
}
export type ProgrammeVersions = Readonly<Partial<Record<ProtocolId, PublishedProgrammeProtocol>>>;

type SettingInput = Omit<ProtocolOverride, 'setBy' | 'setAt' | 'version'>;
const unattributed = (o: SettingInput): ProtocolOverride => ({ ...o, setBy: '', setAt: new Date(0).toISOString(), version: 1 });

/**
 * Checks a patient's overrides against the rules their protocols select, with field-level
 * messages: the rule and parameter exist, the unit converts, the value is plausible, bands
 * stay in order, one override per (rule, parameter), and a high-severity rule is not switched
 * off without a reason. An empty list means valid.
 */
export function validateOverrides(programs: readonly Program[], overrides: readonly SettingInput[], programmeVersions: ProgrammeVersions = {}): ProtocolIssue[] {
  return resolveWithIssues({ programs, spo2Scale: 1, timezone: 'UTC', version: 1, programmeVersions }, overrides.map(unattributed)).issues.slice();
}

/**
 * Checks a draft of a programme protocol: the same checks, and each setting must address a rule
 * that protocol selects ("general" for the rules every patient has). Paths are `settings.N.field`.
 */
export function validateProgrammeSettings(programme: ProtocolId, settings: readonly SettingInput[]): ProtocolIssue[] {
  const programs: Program[] = programme === 'general' ? [] : [programme];
  const resolved = resolveWithIssues(
    { programs, spo2Scale: 1, timezone: 'UTC', version: 1, programmeVersions: { [programme]: { version: 2, settings: settings.map(unattributed) } } },
    [],
  );
  return resolved.issues.map((i) => ({ ...i, path: i.path.replace(/^programmes\.[a-z_]+\.settings\./, 'settings.') }));
}

/** The patient's effective protocol: general + programme protocols (as published) + patient overrides, with provenance. */
export function resolveProtocol(protocol: PatientProtocolInput & { readonly programmeVersions?: ProgrammeVersions }): EffectiveProtocol {
  return resolveWithIssues(protocol, protocol.overrides ?? []);
}

interface RuleEntry {
  tunable: TunableRule | null;
  enabled: boolean;
  enabledBy: ThresholdProvenance;
  values: Map<string, ThresholdProvenance>;
  programmeSettings: number;
  /** The programme whose published settings the rule carries, when not the one that selected it. */
  settingsFrom: ProtocolId | null;
  patientOverrides: number;
}

function resolveWithIssues(protocol: PatientProtocolInput & { readonly programmeVersions?: ProgrammeVersions }, overrides: readonly ProtocolOverride[]): EffectiveProtocol {
  const candidates = candidatesFor(protocol.programs);
  const programmeVersions = protocol.programmeVersions ?? {};
  const versionOf = (id: ProtocolId): number => programmeVersions[id]?.version ?? PROGRAMME_PROTOCOLS[id].version;
  const baseProvenance = (id: ProtocolId): ThresholdProvenance => ({ source: 'programme', protocol: id, version: versionOf(id) });
  const issues: ProtocolIssue[] = [];
  const byRule = new Map<string, RuleEntry>();
  for (const c of candidates) {
    byRule.set(c.id, { tunable: c.tunable, enabled: c.enabledByDefault, enabledBy: baseProvenance(c.protocol), values: new Map(), programmeSettings: 0, settingsFrom: null, patientOverrides: 0 });
  }

  /** Applies one setting (programme or patient), or explains why not. */
  const apply = (o: ProtocolOverride, path: string, provenance: ThresholdProvenance, onlyProtocol: ProtocolId | null, addressed: Set<string>): boolean => {
    const at = (field: string): string => `${path}.${field}`;
    const entry = byRule.get(o.ruleId);
    const candidate = candidates.find((c) => c.id === o.ruleId);
    // A programme may set the rules its protocol selects (AD-01 is in every daily programme's).
    if (!entry || !candidate || (onlyProtocol && !PROGRAMME_PROTOCOLS[onlyProtocol].rules.includes(o.ruleId))) {
      const message = onlyProtocol
        ? `rule ${o.ruleId} is not in the ${onlyProtocol} protocol`
        : `rule ${o.ruleId} is not in this patient's protocols (${['general', ...protocol.programs].join(', ')})`;
      issues.push({ path: at('ruleId'), message });
      return false;
    }
    const address = `${o.ruleId}/${o.parameter ?? 'enabled'}`;
    if (addressed.has(address)) {
      issues.push({ path: at(o.parameter ? 'parameter' : 'enabled'), message: `${address} is set twice` });
      return false;
    }
    addressed.add(address);
    if (o.parameter === undefined) {
      if (o.enabled === undefined) {
        issues.push({ path: at('enabled'), message: 'an override sets either a parameter and its value, or enabled' });
        return false;
      }
      if (!o.enabled && candidate.severity === 'high' && !o.reason?.trim()) {
        issues.push({ path: at('reason'), message: `${o.ruleId} is a high-severity rule: switching it off needs a reason` });
        return false;
      }
      entry.enabled = o.enabled;
      entry.enabledBy = provenance;
      return true;
    }
    if (o.enabled !== undefined) {
      issues.push({ path: at('enabled'), message: 'set enabled in an override of its own, without a parameter' });
      return false;
    }
    const spec = entry.tunable ? parametersOf(entry.tunable).find((p) => p.name === o.parameter) : undefined;
    if (!entry.tunable || !spec) {
      const names = entry.tunable ? parametersOf(entry.tunable).map((p) => p.name) : [];
      issues.push({ path: at('parameter'), message: names.length ? `${o.ruleId} has no parameter ${o.parameter}; it has ${names.join(', ')}` : `${o.ruleId} has no tunable parameters` });
      return false;
    }
    if (o.value === undefined) {
      issues.push({ path: at('value'), message: 'a parameter override needs a value' });
      return false;
    }
    const canonical = toCanonical(spec, o.value, o.unit);
    if (typeof canonical === 'string') {
      issues.push({ path: at('unit'), message: canonical });
      return false;
    }
    const implausible = implausibleParameter(spec, canonical);
    if (implausible) {
      issues.push({ path: at('value'), message: implausible });
      return false;
    }
    // Two programmes of one patient setting the same cadence: the one that alerts sooner wins.
    const earlier = onlyProtocol && spec.measure === 'hours' ? entry.values.get(spec.name) : undefined;
    if (earlier?.source === 'programme' && spec.value <= canonical) return false;
    const next = withParameter(entry.tunable, spec.name, canonical);
    const problem = ruleProblem(next);
    if (problem) {
      issues.push({ path: at('value'), message: `${o.ruleId} ${spec.name}: ${problem}` });
      return false;
    }
    entry.tunable = next;
    entry.values.set(spec.name, provenance);
    return true;
  };

  // Published programme settings first, each only on its own protocol's rules; then the patient's.
  for (const id of ['general', ...protocol.programs] as ProtocolId[]) {
    const published = programmeVersions[id];
    if (!published) continue;
    const addressed = new Set<string>();
    published.settings.forEach((o, i) => {
      const provenance: ThresholdProvenance = { source: 'programme', protocol: id, version: published.version, setBy: o.setBy, setAt: o.setAt, ...(o.reason ? { reason: o.reason } : {}) };
      if (apply(o, `programmes.${id}.settings.${i}`, provenance, id, addressed)) {
        const entry = byRule.get(o.ruleId)!;
        entry.programmeSettings += 1;
        entry.settingsFrom = id;
      }
    });
  }
  const addressed = new Set<string>();
  overrides.forEach((o, i) => {
    if (apply(o, `overrides.${i}`, overrideProvenance(o), null, addressed)) byRule.get(o.ruleId)!.patientOverrides += 1;
  });

  const rules: EffectiveRule[] = candidates.map((c) => {
    const entry = byRule.get(c.id)!;
    const from = entry.settingsFrom ?? c.protocol;
    const base = `${from} v${versionOf(from)}`;
    const defaults = c.tunable ? parametersOf(c.tunable) : [];
    const parameters = entry.tunable
      ? parametersOf(entry.tunable).map((p, k) => ({
          parameter: p.name,
          description: describeParameter(p),
          value: p.value,
          unit: p.unit,
          defaultValue: defaults[k]?.value ?? p.value,
          code: p.code,
          provenance: entry.values.get(p.name) ?? baseProvenance(c.protocol),
        }))
      : [];
    return {
      id: c.id,
      title: c.title,
      source: c.source,
      kind: c.news2 ? 'news2' : (c.tunable?.kind ?? 'news2'),
      severity: c.severity,
      enabled: entry.enabled,
      enabledProvenance: entry.enabledBy,
      applies: c.tunable?.kind === 'threshold' ? appliesTo(c.tunable.rule.population, protocol) : true,
      protocol: c.protocol,
      version: entry.patientOverrides > 0 ? `${base} + patient v${protocol.version}` : base,
      parameters,
    };
  });

  const enabled = (id: string): boolean => byRule.get(id)?.enabled ?? false;
  const tunables = candidates.map((c) => byRule.get(c.id)!.tunable).filter((t): t is TunableRule => t !== null);
  const thresholdRules = tunables.flatMap((t) => (t.kind === 'threshold' && enabled(t.rule.id) ? [{ ...t.rule, enabledByDefault: true }] : []));
  const trendRules = tunables.flatMap((t) => (t.kind === 'trend' && enabled(t.rule.id) ? [{ ...t.rule, enabledByDefault: true }] : []));
  const news2Rules = candidates.flatMap((c) => (c.news2 && enabled(c.id) ? [c.news2] : []));
  const missing = tunables.find((t) => t.kind === 'missing_data');
  return {
    version: protocol.version,
    programs: protocol.programs,
    spo2Scale: protocol.spo2Scale,
    timezone: protocol.timezone,
    rules,
    thresholdRules,
    trendRules,
    thresholdRulesByVital: groupByVital(thresholdRules),
    trendRulesByVital: groupByVital(trendRules),
    news2Rules,
    missingData: missing?.kind === 'missing_data' && enabled(MISSING_DATA_RULE.id) ? { cadenceMs: missing.cadenceHours * 3_600_000 } : null,
    issues,
  };
}

function groupByVital<R extends { readonly vital: string }>(rules: readonly R[]): ReadonlyMap<string, readonly R[]> {
  const byVital = new Map<string, R[]>();
  for (const rule of rules) byVital.set(rule.vital, [...(byVital.get(rule.vital) ?? []), rule]);
  return byVital;
}

/** The rule and threshold part of an alert's explanation. */
export function explainRule(protocol: EffectiveProtocol, ruleId: string): { rule: { id: string; title: string; source: string; version: string }; thresholds: ExplainedThreshold[] } | null {
  const rule = protocol.rules.find((r) => r.id === ruleId);
  if (!rule) return null;
  return {
    rule: { id: rule.id, title: rule.title, source: rule.source, version: rule.version },
    thresholds: rule.parameters.map(({ defaultValue: _default, ...threshold }) => threshold),
  };
}
