import { useCallback, useState } from 'react';
import type { AlertResponse, AssignAlertRequest } from '@rpm/contracts';
import { useSession } from '../auth/session-context';
import { alertTitle } from './alert-title';
import { Dialog, DialogForm } from './dialog';
import { useSubmit } from './use-submit';

type Choice = 'me' | 'other' | 'nobody';

/** Assign to me, to another nurse of the patient's care team (by user id), or to nobody. */
export function AssignDialog({ alert, onClose, onDone }: { alert: AlertResponse; onClose: () => void; onDone: (alert: AlertResponse) => void }) {
  const { api, identity } = useSession();
  const [choice, setChoice] = useState<Choice>(alert.assignedTo === identity.sub ? 'nobody' : 'me');
  const [other, setOther] = useState('');
  const action = useCallback(() => {
    if (choice === 'nobody') return api.post<AlertResponse>(`/alerts/${alert.id}/unassign`);
    const body: AssignAlertRequest = { assignee: choice === 'me' ? 'me' : other.trim() };
    return api.post<AlertResponse>(`/alerts/${alert.id}/assign`, body);
  }, [api, alert.id, choice, other]);
  const { busy, error, submit } = useSubmit(action, onDone);

  return (
    <Dialog title={`Assign ${alertTitle(alert)}`} onClose={onClose}>
      <p className="dialog-note">{alert.assignedTo ? `Now assigned to ${alert.assignedTo === identity.sub ? 'you' : alert.assignedTo}.` : 'Nobody is assigned.'}</p>
      <DialogForm
        onSubmit={() => void submit()}
        onCancel={onClose}
        submitLabel="Assign"
        busy={busy}
        error={error}
        submitDisabled={choice === 'other' && other.trim() === ''}
      >
        <fieldset className="choices">
          <legend>Assign to</legend>
          <label className="choice">
            <input type="radio" name="assignee" checked={choice === 'me'} onChange={() => setChoice('me')} autoFocus={choice === 'me'} />
            Me ({identity.sub})
          </label>
          <label className="choice">
            <input type="radio" name="assignee" checked={choice === 'other'} onChange={() => setChoice('other')} />
            Another nurse of the care team
          </label>
          {choice === 'other' && (
            <label className="field nested">
              User id
              <input type="text" value={other} onChange={(e) => setOther(e.target.value)} autoFocus maxLength={200} />
            </label>
          )}
          <label className="choice">
            <input type="radio" name="assignee" checked={choice === 'nobody'} onChange={() => setChoice('nobody')} autoFocus={choice === 'nobody'} />
            Nobody (unassign)
          </label>
        </fieldset>
      </DialogForm>
    </Dialog>
  );
}
