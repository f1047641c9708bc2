import type { ProtocolChange, ProtocolOverrideInput } from '@rpm/contracts';
import { displayUnit } from '../ui/format';

/** One line of a version's diff, as text a clinical lead reads. */
export interface ChangeLine {
  readonly ruleId: string;
  /** "systolic ≥" for a parameter (from the rule's own description when known), "on/off" for enabled. */
  readonly setting: string;
  readonly kind: 'added' | 'removed' | 'changed';
  readonly before: string;
  readonly after: string;
  /** Why, when the new setting says (or the removed one said). */
  readonly reason: string | null;
}

/** Labels of parameters by "ruleId/parameter", from the rules the page has; missing ones show the parameter name. */
export type ParameterLabels = ReadonlyMap<string, { readonly label: string; readonly unit: string }>;

/** A setting's value: "135 mmHg" (in the unit the setting names, else the parameter's), "on", "off", or "default". */
export function describeSetting(setting: ProtocolOverrideInput | null, defaultUnit: string | null = null, fallback = 'default'): string {
  if (!setting) return fallback;
  if (setting.parameter === undefined) return setting.enabled === false ? 'off' : 'on';
  if (setting.value === undefined) return fallback;
  const unit = setting.unit ?? defaultUnit;
  // As the lead typed it (12.5, not 12.50), without float noise.
  const value = String(Number(setting.value.toFixed(4)));
  return unit ? `${value} ${displayUnit(unit)}` : value;
}

/**
 * The changes of a version against the one before it. `before` null: the setting was new (the
 * rule's default before); `after` null: it was removed (back to the default). `baseLabel` names
 * that default: "library default" for a programme, "programme value" for a patient.
 */
export function changeLines(changes: readonly ProtocolChange[], labels: ParameterLabels = new Map(), baseLabel = 'default'): ChangeLine[] {
  return changes.map((c) => {
    const known = labels.get(`${c.ruleId}/${c.setting}`);
    const unit = known?.unit ?? null;
    const kind = c.before === null ? 'added' : c.after === null ? 'removed' : 'changed';
    return {
      ruleId: c.ruleId,
      setting: c.setting === 'enabled' ? 'on/off' : (known?.label ?? c.setting),
      kind,
      before: describeSetting(c.before, unit, baseLabel),
      after: describeSetting(c.after, unit, baseLabel),
      reason: c.after?.reason ?? c.before?.reason ?? null,
    };
  });
}
