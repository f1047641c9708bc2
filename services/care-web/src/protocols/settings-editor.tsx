import { useEffect, useRef } from 'react';
import { displayUnit, formatNumber } from '../ui/format';
import { settingKey, type EditorParameter, type EditorRule, type PlacedIssues, type SettingDraft, type SettingsDraft } from './settings-model';

interface SettingsEditorProps {
  readonly rules: readonly EditorRule[];
  readonly draft: SettingsDraft;
  readonly onChange: (next: Map<string, SettingDraft>) => void;
  readonly issues: PlacedIssues;
  /** Keys whose typed value is no number (checked before asking the API). */
  readonly unparsed: ReadonlySet<string>;
  /** What a setting's removal returns to: "library default" (programme) or "programme value" (patient). */
  readonly baseLabel: string;
  /** Ids of this form's fields: two editors on one page stay apart. */
  readonly idPrefix: string;
  /** Bumped on each refused save: focus goes to the first field the API named. */
  readonly focusSignal: number;
}

const fieldId = (prefix: string, key: string, field: string) => `${prefix}-${key.replace(/[^\w-]/g, '_')}-${field}`;

function FieldErrors({ id, reasons }: { id: string; reasons: readonly string[] }) {
  if (reasons.length === 0) return null;
  return (
    <ul id={id} className="field-errors">
      {reasons.map((r) => (
        <li key={r} className="field-error">
          {r}
        </li>
      ))}
    </ul>
  );
}

/**
 * Every rule of a protocol with its on/off switch and its numbers, editable in place. A changed
 * value becomes a setting (typed back to the base, it goes away); switching a rule from its base
 * state asks for a reason (the API requires one to switch off a high-severity rule). The API's
 * problems show under the field they name.
 */
export function SettingsEditor({ rules, draft, onChange, issues, unparsed, baseLabel, idPrefix, focusSignal }: SettingsEditorProps) {
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusSignal > 0) root.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusSignal]);

  const set = (key: string, setting: SettingDraft | null) => {
    const next = new Map(draft);
    if (setting) next.set(key, setting);
    else next.delete(key);
    onChange(next);
  };
  const reasonsOf = (key: string, ...fields: string[]) => fields.flatMap((f) => issues.bySetting.get(key)?.get(f) ?? []);

  const onOff = (rule: EditorRule) => {
    const key = settingKey(rule.id, null);
    const setting = draft.get(key);
    const enabled = setting?.enabled ?? rule.baseEnabled;
    const errors = reasonsOf(key, '', 'enabled', 'ruleId');
    const reasonErrors = reasonsOf(key, 'reason');
    const checkboxId = fieldId(idPrefix, key, 'enabled');
    const reasonId = fieldId(idPrefix, key, 'reason');
    return (
      <div className={`setting-row${setting ? ' changed' : ''}`} data-setting={key}>
        <label className="choice" htmlFor={checkboxId}>
          <input
            id={checkboxId}
            type="checkbox"
            checked={enabled}
            aria-invalid={errors.length > 0}
            aria-describedby={errors.length ? `${checkboxId}-errors` : undefined}
            onChange={(e) =>
              set(key, e.target.checked === rule.baseEnabled ? null : { ruleId: rule.id, parameter: null, value: '', unit: null, enabled: e.target.checked, reason: setting?.reason ?? '' })
            }
          />
          <span className="visually-hidden">{rule.id} </span>On
        </label>
        {setting && <span className="setting-note">changed: {rule.baseEnabled ? 'on' : 'off'} without this setting</span>}
        <FieldErrors id={`${checkboxId}-errors`} reasons={errors} />
        {setting && (
          <label className="setting-reason" htmlFor={reasonId}>
            <span>
              Why {enabled ? 'on' : 'off'}
              {!enabled && rule.severity === 'high' ? ' (required for a high-severity rule)' : ''}
            </span>
            <input
              id={reasonId}
              type="text"
              value={setting.reason}
              maxLength={500}
              aria-invalid={reasonErrors.length > 0}
              aria-describedby={reasonErrors.length ? `${reasonId}-errors` : undefined}
              onChange={(e) => set(key, { ...setting, reason: e.target.value })}
            />
            <FieldErrors id={`${reasonId}-errors`} reasons={reasonErrors} />
          </label>
        )}
      </div>
    );
  };

  const parameter = (rule: EditorRule, p: EditorParameter) => {
    const key = settingKey(rule.id, p.name);
    const setting = draft.get(key);
    const base = p.base === null ? '' : String(p.base);
    const errors = [...(unparsed.has(key) ? ['Enter a number.'] : []), ...reasonsOf(key, 'value', 'unit', 'parameter', 'ruleId', 'reason', '')];
    const inputId = fieldId(idPrefix, key, 'value');
    const note = setting
      ? `changed from ${p.base === null ? 'the patient override' : `${formatNumber(p.base, 2)} (${baseLabel})`}`
      : p.base !== null && p.base !== p.defaultValue
        ? `${baseLabel}; library default ${formatNumber(p.defaultValue, 2)}`
        : baseLabel;
    return (
      <div key={key} className={`setting-row param${setting ? ' changed' : ''}`} data-setting={key}>
        <label htmlFor={inputId}>
          <span className="visually-hidden">{rule.id} </span>
          {p.label}
        </label>
        <span className="value-input">
          <input
            id={inputId}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={setting ? setting.value : base}
            aria-invalid={errors.length > 0}
            aria-describedby={errors.length ? `${inputId}-errors` : undefined}
            onChange={(e) => {
              const text = e.target.value;
              // Typed back to the base, the setting goes (unless it carries its own unit or reason).
              if (text.trim() === base && !setting?.unit && !setting?.reason) set(key, null);
              else set(key, { ruleId: rule.id, parameter: p.name, value: text, unit: setting?.unit ?? null, enabled: null, reason: setting?.reason ?? '' });
            }}
          />
          <span className="unit">{displayUnit(setting?.unit ?? p.unit)}</span>
        </span>
        {setting && (
          <button type="button" className="link-button" onClick={() => set(key, null)} aria-label={`Reset ${rule.id} ${p.label} to the ${baseLabel}`}>
            Reset
          </button>
        )}
        <span className="setting-note">{note}</span>
        <FieldErrors id={`${inputId}-errors`} reasons={errors} />
      </div>
    );
  };

  return (
    <div className="settings-editor" ref={root}>
      {rules.map((rule) => (
        <fieldset key={rule.id} className="rule-settings" data-rule={rule.id}>
          <legend>
            <span className="rule-id">{rule.id}</span> {rule.title} <span className={`severity-text sev-text-${rule.severity}`}>{rule.severity}</span>
          </legend>
          {!rule.applies && <p className="hint">Only for patients on the other SpO2 scale.</p>}
          {onOff(rule)}
          {rule.parameters.map((p) => parameter(rule, p))}
        </fieldset>
      ))}
    </div>
  );
}
