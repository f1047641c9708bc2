import { useMemo, useState, type FormEvent } from 'react';
import type { BacktestRequest, BacktestResponse, ProgrammeProtocolResponse, ProtocolDraftRequest, ProtocolName, ProtocolVersionResponse } from '@rpm/contracts';
import { useSession } from '../auth/session-context';
import { BacktestPanel } from '../backtest/backtest-panel';
import { labelsOf, PROTOCOL_LABEL } from './programmes';
import { ChangesTable } from './changes-table';
import { PublishDialog } from './publish-dialog';
import { SettingsEditor } from './settings-editor';
import { FormProblems, ChangeReasonField } from './form-parts';
import { editorRules, sameSettings } from './settings-model';
import { useSettingsForm } from './use-settings-form';

interface DraftPanelProps {
  readonly programme: ProtocolName;
  readonly data: ProgrammeProtocolResponse;
  /** The draft being edited (the newest one), or null: a new draft from the version in force. */
  readonly draft: ProtocolVersionResponse | null;
  readonly onSaved: (version: ProtocolVersionResponse, what: string) => void;
}

/**
 * The draft of a programme protocol: every rule's switch and numbers over the library defaults,
 * the change reason, saved as a draft version (the API validates field by field and its problems
 * show beside the fields); once saved, its diff, a backtest against the version in force, and
 * publication now or at a set time.
 */
export function DraftPanel({ programme, data, draft, onSaved }: DraftPanelProps) {
  const { api } = useSession();
  const published = data.versions.find((v) => v.version === data.publishedVersion);
  const publishedSettings = useMemo(() => published?.settings ?? [], [published]);
  const rules = useMemo(() => editorRules(data.rules, publishedSettings, 'library'), [data.rules, publishedSettings]);
  const form = useSettingsForm(draft?.settings ?? publishedSettings, draft?.reason ?? '', rules, 'settings');
  const [publishing, setPublishing] = useState(false);
  const labels = useMemo(() => labelsOf(data.rules), [data.rules]);

  const saved = draft !== null && sameSettings(form.settings, draft.settings) && form.reason.trim() === draft.reason;
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const result = await form.submit((settings, reason) => {
      const body: ProtocolDraftRequest = { settings, reason };
      return draft ? api.put<ProtocolVersionResponse>(`/protocols/${programme}/versions/${draft.version}`, body) : api.post<ProtocolVersionResponse>(`/protocols/${programme}/versions`, body);
    });
    if (result) onSaved(result, `Saved draft version ${result.version} of ${PROTOCOL_LABEL[programme]}.`);
  };
  const startBacktest = (range: BacktestRequest) => api.post<BacktestResponse>(`/protocols/${programme}/versions/${draft?.version ?? 0}/backtests`, range);

  return (
    <div className="draft-panel" data-draft-version={draft?.version}>
      <p className="hint">
        {draft
          ? `Draft version ${draft.version}, by ${draft.createdBy}. Its settings replace those of version ${data.publishedVersion} in force once published.`
          : `A new draft starts from version ${data.publishedVersion} in force. Settings are changes to the library defaults.`}
      </p>
      <form onSubmit={(e) => void save(e)} className="draft-form" aria-label={`Draft of the ${PROTOCOL_LABEL[programme]} protocol`} noValidate>
        <FormProblems error={form.error} issues={form.issues} unparsed={form.unparsed.size} />
        <SettingsEditor
          rules={rules}
          draft={form.draft}
          onChange={form.change}
          issues={form.issues}
          unparsed={form.unparsed}
          baseLabel="library default"
          idPrefix={`draft-${programme}`}
          focusSignal={form.focusSignal}
        />
        <ChangeReasonField value={form.reason} onChange={form.setReason} errors={form.issues.reason} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={form.busy || saved} aria-busy={form.busy}>
            {form.busy ? 'Saving…' : draft ? 'Save draft' : 'Save as a new draft'}
          </button>
          {draft && (
            <button type="button" onClick={() => setPublishing(true)} disabled={!saved}>
              Publish…
            </button>
          )}
          {draft && !saved && <span className="hint">Unsaved changes: save before publishing or backtesting.</span>}
        </div>
      </form>

      {draft && (
        <>
          <h3>Changes of draft version {draft.version}</h3>
          <ChangesTable changes={draft.changes} labels={labels} baseLabel="library default" caption={`Changes of draft version ${draft.version}`} />
          <BacktestPanel
            describe={`Replays the stored readings of every ${PROTOCOL_LABEL[programme].toLowerCase()} patient under draft version ${draft.version} and under version ${data.publishedVersion} in force, and compares the alerts.`}
            blocked={saved ? null : 'Save the draft first.'}
            start={startBacktest}
          />
        </>
      )}
      {publishing && draft && (
        <PublishDialog
          programme={programme}
          version={draft.version}
          onClose={() => setPublishing(false)}
          onDone={(v) => {
            setPublishing(false);
            onSaved(v, v.status === 'scheduled' && v.effectiveAt ? `Version ${v.version} is scheduled for ${new Date(v.effectiveAt).toLocaleString()}.` : `Version ${v.version} is in force now.`);
          }}
        />
      )}
    </div>
  );
}
