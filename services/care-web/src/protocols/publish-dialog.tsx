import { useCallback, useState } from 'react';
import type { ProtocolVersionResponse, PublishProtocolRequest } from '@rpm/contracts';
import { useSession } from '../auth/session-context';
import { Dialog, DialogForm } from '../dialogs/dialog';
import { useSubmit } from '../dialogs/use-submit';
import { PROTOCOL_LABEL } from './programmes';

/** "2025-06-01T14:30" in local time, for a datetime-local input. */
function localInputValue(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/** Publish a draft now, or schedule it (the API publishes it when its time comes). */
export function PublishDialog({
  programme,
  version,
  onClose,
  onDone,
}: {
  programme: keyof typeof PROTOCOL_LABEL;
  version: number;
  onClose: () => void;
  onDone: (published: ProtocolVersionResponse) => void;
}) {
  const { api } = useSession();
  const [when, setWhen] = useState<'now' | 'later'>('now');
  const [at, setAt] = useState(() => localInputValue(Date.now() + 3_600_000));
  const atMs = new Date(at).getTime();
  const action = useCallback(() => {
    const body: PublishProtocolRequest = when === 'later' ? { effectiveAt: new Date(atMs).toISOString() } : {};
    return api.post<ProtocolVersionResponse>(`/protocols/${programme}/versions/${version}/publish`, body);
  }, [api, programme, version, when, atMs]);
  const { busy, error, submit } = useSubmit(action, onDone);
  const invalidTime = when === 'later' && !(atMs > Date.now());
  return (
    <Dialog title={`Publish version ${version} of ${PROTOCOL_LABEL[programme]}`} onClose={onClose}>
      <p className="dialog-note">Every patient of the programme is judged by it from their next reading (rules engines pick it up without a restart).</p>
      <DialogForm onSubmit={() => void submit()} onCancel={onClose} submitLabel={when === 'now' ? 'Publish now' : 'Schedule'} busy={busy} error={error} submitDisabled={invalidTime}>
        <fieldset className="choices">
          <legend>In force</legend>
          <label className="choice">
            <input type="radio" name="when" checked={when === 'now'} onChange={() => setWhen('now')} autoFocus />
            Now
          </label>
          <label className="choice">
            <input type="radio" name="when" checked={when === 'later'} onChange={() => setWhen('later')} />
            At a set time
          </label>
          {when === 'later' && (
            <label className="field nested">
              From
              <input type="datetime-local" value={at} min={localInputValue(Date.now())} onChange={(e) => setAt(e.target.value)} required />
              {invalidTime && <span className="form-error">Pick a time in the future.</span>}
            </label>
          )}
        </fieldset>
      </DialogForm>
    </Dialog>
  );
}
