import { useMemo, useState, type FormEvent } from 'react';
import type { BacktestResponse, EffectiveProtocolResponse, PatientBacktestRequest, SetProtocolOverridesRequest } from '@rpm/contracts';
import { useSession } from '../auth/session-context';
import { BacktestPanel } from '../backtest/backtest-panel';
import { Announcer } from '../dialogs/alert-actions';
import { ChangeReasonField, FormProblems } from '../protocols/form-parts';
import { SettingsEditor } from '../protocols/settings-editor';
import { editorRules, sameSettings } from '../protocols/settings-model';
import { useSettingsForm } from '../protocols/use-settings-form';
import { useAnnouncement } from '../ui/use-announcement';
import { OverrideHistory } from './override-history';

/**
 * For clinical leads on the patient page: the patient's own values over the programme protocol,
 * saved as a new protocol version with a reason (the rules engine uses it at the next reading);
 * the API's problems beside the fields; a backtest of the edited overrides against those in force;
 * the history with its diffs and rollback.
 */
export function OverridesSection({ patientId, protocol, onChanged }: { patientId: string; protocol: EffectiveProtocolResponse; onChanged: (p: EffectiveProtocolResponse) => void }) {
  const [announcement, announce] = useAnnouncement();
  const [historyVersion, setHistoryVersion] = useState(0);
  const changed = (next: EffectiveProtocolResponse, text: string) => {
    onChanged(next);
    setHistoryVersion((n) => n + 1);
    announce(text);
  };
  return (
    <section aria-labelledby="overrides-heading" className="overrides">
      <h2 id="overrides-heading">Overrides</h2>
      <p className="hint">
        This patient's own values over the programme protocol (version {protocol.version} of the patient's protocol is in force). Saving makes a new version; the rules engine uses it
        from the next reading.
      </p>
      {/* A new version resets the form to what is now in force. */}
      <OverridesForm key={protocol.version} patientId={patientId} protocol={protocol} onSaved={changed} />
      <h3>History</h3>
      <OverrideHistory key={historyVersion} patientId={patientId} protocol={protocol} onRolledBack={changed} />
      <Announcer announcement={announcement} />
    </section>
  );
}

function OverridesForm({ patientId, protocol, onSaved }: { patientId: string; protocol: EffectiveProtocolResponse; onSaved: (p: EffectiveProtocolResponse, text: string) => void }) {
  const { api } = useSession();
  const rules = useMemo(() => editorRules(protocol.rules, protocol.overrides, 'programme'), [protocol]);
  const form = useSettingsForm(protocol.overrides, '', rules, 'overrides');
  const unchanged = sameSettings(form.settings, protocol.overrides);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const result = await form.submit((overrides, reason) => {
      const body: SetProtocolOverridesRequest = { overrides, reason };
      return api.put<EffectiveProtocolResponse>(`/patients/${patientId}/protocol/overrides`, body);
    });
    if (result) onSaved(result, `Saved the overrides: the patient's protocol is version ${result.version}.`);
  };
  const backtest = (range: { from: string; to: string }) => {
    const body: PatientBacktestRequest = { overrides: form.settings, ...range };
    return api.post<BacktestResponse>(`/patients/${patientId}/protocol/backtests`, body);
  };

  return (
    <>
      <form onSubmit={(e) => void save(e)} className="draft-form" aria-label="The patient's overrides" noValidate>
        <FormProblems error={form.error} issues={form.issues} unparsed={form.unparsed.size} />
        <SettingsEditor
          rules={rules}
          draft={form.draft}
          onChange={form.change}
          issues={form.issues}
          unparsed={form.unparsed}
          baseLabel="programme value"
          idPrefix={`overrides-${patientId}`}
          focusSignal={form.focusSignal}
        />
        <ChangeReasonField value={form.reason} onChange={form.setReason} errors={form.issues.reason} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={form.busy || unchanged} aria-busy={form.busy}>
            {form.busy ? 'Saving…' : 'Save overrides'}
          </button>
          {unchanged && <span className="hint">No change to save.</span>}
        </div>
      </form>
      <BacktestPanel
        describe="Backtest this change: replays this patient's stored readings under the overrides as edited above and under those in force, and compares the alerts. Nothing changes for the patient."
        blocked={unchanged ? 'Change a setting first.' : null}
        start={backtest}
        onRefused={(error) => form.refused(error)}
      />
    </>
  );
}
