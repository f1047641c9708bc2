import { useCallback, useState } from 'react';
import type { AlertResponse, ResolveAlertRequest } from '@rpm/contracts';
import { useSession } from '../auth/session-context';
import { Loading, ErrorState } from '../ui/states';
import { Dialog, DialogForm } from './dialog';
import { useDispositions } from './dispositions';
import { alertTitle } from './alert-title';
import { useSubmit } from './use-submit';

/** Resolve with a disposition (required) and a note (optional): what the reports count. */
export function ResolveDialog({ alert, onClose, onDone }: { alert: AlertResponse; onClose: () => void; onDone: (alert: AlertResponse) => void }) {
  const { api } = useSession();
  const dispositions = useDispositions(api);
  const [disposition, setDisposition] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const action = useCallback(() => {
    const body: ResolveAlertRequest = { disposition: disposition ?? '', ...(note.trim() ? { note: note.trim() } : {}) };
    return api.post<AlertResponse>(`/alerts/${alert.id}/resolve`, body);
  }, [api, alert.id, disposition, note]);
  const { busy, error, submit } = useSubmit(action, onDone);

  return (
    <Dialog title={`Resolve ${alertTitle(alert)}`} onClose={onClose}>
      <DialogForm onSubmit={() => void submit()} onCancel={onClose} submitLabel="Resolve" busy={busy} error={error} submitDisabled={disposition === null}>
        {dispositions.kind === 'loading' && <Loading what="dispositions" />}
        {dispositions.kind === 'error' && <ErrorState title="Dispositions could not be loaded" message={dispositions.message} />}
        {dispositions.kind === 'ready' && (
          <fieldset className="choices">
            <legend>Disposition</legend>
            {dispositions.items.map((d, i) => (
              <label key={d.code} className="choice">
                <input
                  type="radio"
                  name="disposition"
                  value={d.code}
                  checked={disposition === d.code}
                  onChange={() => setDisposition(d.code)}
                  autoFocus={i === 0}
                  required
                />
                {d.label}
              </label>
            ))}
          </fieldset>
        )}
        <label className="field">
          <span>
            Note <span className="hint">(optional)</span>
          </span>
          <textarea value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} rows={3} />
        </label>
      </DialogForm>
    </Dialog>
  );
}
