import type { EffectiveProtocolResponse, ProtocolOverrideInput } from '@rpm/contracts';
import type { FieldIssue } from '../api/api-client';

type EffectiveRule = EffectiveProtocolResponse['rules'][number];

/**
 * The settings editor's model, shared by a programme draft (`settings.N`) and a patient's
 * overrides (`overrides.N`): one setting per (rule, parameter) or (rule, on/off), kept as typed
 * text so a half-typed number is not lost. Nothing here calls the API; the API validates.
 */

export interface EditorParameter {
  readonly name: string;
  /** "systolic >": the parameter's description without its value. */
  readonly label: string;
  /** The canonical unit of the value. */
  readonly unit: string;
  /** The library default. */
  readonly defaultValue: number;
  /** The value without this editor's setting: the library default (programme) or the programme's value (patient); null when unknown. */
  readonly base: number | null;
}

export interface EditorRule {
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly applies: boolean;
  /** On or off without this editor's setting. */
  readonly baseEnabled: boolean;
  readonly parameters: readonly EditorParameter[];
}

/** One setting being edited: a parameter's value (`parameter` set) or the rule on or off. */
export interface SettingDraft {
  readonly ruleId: string;
  readonly parameter: string | null;
  /** As typed; only for a parameter. */
  readonly value: string;
  /** The unit the value is in, when the setting names one (a stored "12.5 mmol/L"); else the canonical unit. */
  readonly unit: string | null;
  /** Only for an on/off setting. */
  readonly enabled: boolean | null;
  readonly reason: string;
}

export type SettingsDraft = ReadonlyMap<string, SettingDraft>;

/** Where a setting lives: "BP-06/systolic", or "BP-06/enabled" for on/off (the API's own key). */
export const settingKey = (ruleId: string, parameter: string | null | undefined): string => `${ruleId}/${parameter ?? 'enabled'}`;

/** "systolic > 180 mm[Hg]" -> "systolic >"; "no reading for ≥ 48 h" -> "no reading for ≥". */
export function parameterLabel(description: string): string {
  return description.replace(/\s+-?\d+(\.\d+)?\s+\S+$/, '').trim();
}

/**
 * The rules as the editor shows them. `resolvedWith` are the settings the rules were resolved
 * with (the published version's, or the patient's overrides): the base of a rule is its value
 * without them. A programme's base is the library default; a patient's is the programme's value,
 * unknown where the patient overrides it.
 */
export function editorRules(rules: readonly EffectiveRule[], resolvedWith: readonly ProtocolOverrideInput[], base: 'library' | 'programme'): EditorRule[] {
  return rules.map((rule) => {
    const onOff = resolvedWith.find((s) => s.ruleId === rule.id && s.parameter === undefined && s.enabled !== undefined);
    return {
      id: rule.id,
      title: rule.title,
      severity: rule.severity,
      applies: rule.applies,
      // The rules carry the setting's on/off; without it the rule was the other way.
      baseEnabled: onOff?.enabled !== undefined ? !onOff.enabled : rule.enabled,
      parameters: rule.parameters.map((p) => ({
        name: p.parameter,
        label: parameterLabel(p.description),
        unit: p.unit,
        defaultValue: p.defaultValue,
        base: base === 'library' ? p.defaultValue : p.provenance.source === 'patient_override' ? null : p.value,
      })),
    };
  });
}

export function draftOfSettings(settings: readonly ProtocolOverrideInput[]): Map<string, SettingDraft> {
  const draft = new Map<string, SettingDraft>();
  for (const s of settings) {
    draft.set(settingKey(s.ruleId, s.parameter), {
      ruleId: s.ruleId,
      parameter: s.parameter ?? null,
      value: s.value === undefined ? '' : String(s.value),
      unit: s.unit ?? null,
      enabled: s.parameter === undefined ? (s.enabled ?? null) : null,
      reason: s.reason ?? '',
    });
  }
  return draft;
}

/** A number as the API takes it, or null for text that is not one. */
export function parseValue(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/**
 * The settings to send, in the editor's order (rule by rule, on/off first), and for each index
 * the key it came from: the API names problems by index (`settings.2.value`). Settings of rules
 * the editor does not show go last, untouched.
 */
export function settingsOfDraft(draft: SettingsDraft, rules: readonly EditorRule[]): { settings: ProtocolOverrideInput[]; keys: string[] } {
  const order = rules.flatMap((r) => [settingKey(r.id, null), ...r.parameters.map((p) => settingKey(r.id, p.name))]);
  const keys = [...order.filter((k) => draft.has(k)), ...[...draft.keys()].filter((k) => !order.includes(k))];
  const settings = keys.map((key): ProtocolOverrideInput => {
    const s = draft.get(key)!;
    const reason = s.reason.trim();
    if (s.parameter === null) return { ruleId: s.ruleId, enabled: s.enabled ?? true, ...(reason ? { reason } : {}) };
    // Text that is no number goes as NaN, which JSON writes as null: the API names the field.
    const value = parseValue(s.value) ?? Number.NaN;
    return { ruleId: s.ruleId, parameter: s.parameter, value, ...(s.unit ? { unit: s.unit } : {}), ...(reason ? { reason } : {}) };
  });
  return { settings, keys };
}

/** Keys whose typed value is not a number: shown at once, without asking the API. */
export function unparsedValues(draft: SettingsDraft): string[] {
  return [...draft.entries()].filter(([, s]) => s.parameter !== null && parseValue(s.value) === null).map(([key]) => key);
}

/** The API's problems, placed: by setting and field, on the change reason, or (anything else) for the whole form. */
export interface PlacedIssues {
  /** Setting key -> field ("value", "unit", "reason", "enabled", "parameter", "ruleId", or "" for the setting) -> reasons. */
  readonly bySetting: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
  /** The change reason (`reason`). */
  readonly reason: readonly string[];
  /** Issues that name no setting of the form: shown above it. */
  readonly general: readonly string[];
}

export const NO_ISSUES: PlacedIssues = { bySetting: new Map(), reason: [], general: [] };

/** Maps `settings.2.value` (or `overrides.2.value`) to the setting the form sent at index 2. */
export function placeIssues(issues: readonly FieldIssue[], keys: readonly string[], listName: 'settings' | 'overrides'): PlacedIssues {
  const bySetting = new Map<string, Map<string, string[]>>();
  const reason: string[] = [];
  const general: string[] = [];
  const pattern = new RegExp(`^${listName}\\.(\\d+)(?:\\.(\\w+))?`);
  for (const issue of issues) {
    const match = pattern.exec(issue.field);
    const key = match ? keys[Number(match[1])] : undefined;
    if (key) {
      const fields = bySetting.get(key) ?? new Map<string, string[]>();
      const field = match?.[2] ?? '';
      fields.set(field, [...(fields.get(field) ?? []), issue.reason]);
      bySetting.set(key, fields);
    } else if (issue.field === 'reason') reason.push(issue.reason);
    else general.push(issue.field && issue.field !== '(body)' ? `${issue.field}: ${issue.reason}` : issue.reason);
  }
  return { bySetting, reason, general };
}

/** How many problems the form shows. */
export function issueCount(placed: PlacedIssues): number {
  let n = placed.reason.length + placed.general.length;
  for (const fields of placed.bySetting.values()) for (const reasons of fields.values()) n += reasons.length;
  return n;
}

/** Whether two drafts would send the same settings (unsaved changes). */
export function sameSettings(a: readonly ProtocolOverrideInput[], b: readonly ProtocolOverrideInput[]): boolean {
  const canonical = (list: readonly ProtocolOverrideInput[]) =>
    JSON.stringify(
      list
        .map((s) => [s.ruleId, s.parameter ?? '', s.value ?? null, s.unit ?? '', s.enabled ?? null, s.reason ?? ''])
        .sort((x, y) => `${x[0]}/${x[1]}`.localeCompare(`${y[0]}/${y[1]}`)),
    );
  return canonical(a) === canonical(b);
}
