import { useCallback, useState } from 'react';
import type { AddAlertNoteRequest, AlertResponse } from '@rpm/contracts';
import { useSession } from '../auth/session-context';
import { alertTitle } from './alert-title';
import { Dialog, DialogForm } from './dialog';
import { useSubmit } from './use-submit';

export function NoteDialog({ alert, onClose, onDone }: { alert: AlertResponse; onClose: () => void; onDone: (alert: AlertResponse) => void }) {
  const { api } = useSession();
  const [body, setBody] = useState('');
  const action = useCallback(() => {
    const request: AddAlertNoteRequest = { body: body.trim() };
    return api.post<AlertResponse>(`/alerts/${alert.id}/notes`, request);
  }, [api, alert.id, body]);
  const { busy, error, submit } = useSubmit(action, onDone);
  return (
    <Dialog title={`Note on ${alertTitle(alert)}`} onClose={onClose}>
      <DialogForm onSubmit={() => void submit()} onCancel={onClose} submitLabel="Add note" busy={busy} error={error} submitDisabled={body.trim() === ''}>
        <label className="field">
          Note
          <textarea value={body} onChange={(e) => setBody(e.target.value)} maxLength={2000} rows={4} autoFocus required />
        </label>
      </DialogForm>
    </Dialog>
  );
}
