import { useCallback, useState } from 'react';
import type { AlertResponse, SnoozeAlertRequest } from '@rpm/contracts';
import { useSession } from '../auth/session-context';
import { formatDateTime, isSnoozed } from '../ui/format';
import { alertTitle } from './alert-title';
import { Dialog, DialogForm } from './dialog';
import { useSubmit } from './use-submit';

/** The durations a nurse picks from (the API allows 5 min to 3 days). */
const DURATIONS = [
  { minutes: 30, label: '30 minutes' },
  { minutes: 60, label: '1 hour' },
  { minutes: 240, label: '4 hours' },
  { minutes: 1440, label: '24 hours' },
] as const;

/**
 * Hide an alert until a set time; a worse value breaks through. The API refuses high-severity
 * rules with 409, and its message is shown as it is.
 */
export function SnoozeDialog({ alert, onClose, onDone }: { alert: AlertResponse; onClose: () => void; onDone: (alert: AlertResponse) => void }) {
  const { api } = useSession();
  const [minutes, setMinutes] = useState<number>(DURATIONS[0].minutes);
  const [reason, setReason] = useState('');
  const snoozed = isSnoozed(alert, Date.now());
  const snooze = useCallback(() => {
    const body: SnoozeAlertRequest = { minutes, ...(reason.trim() ? { reason: reason.trim() } : {}) };
    return api.post<AlertResponse>(`/alerts/${alert.id}/snooze`, body);
  }, [api, alert.id, minutes, reason]);
  const unsnooze = useCallback(() => api.delete<AlertResponse>(`/alerts/${alert.id}/snooze`), [api, alert.id]);
  const snoozing = useSubmit(snooze, onDone);
  const ending = useSubmit(unsnooze, onDone);

  return (
    <Dialog title={`Snooze ${alertTitle(alert)}`} onClose={onClose}>
      {snoozed && alert.snoozedUntil && (
        <div className="dialog-note">
          <p>Snoozed until {formatDateTime(alert.snoozedUntil)}.</p>
          <button type="button" onClick={() => void ending.submit()} disabled={ending.busy}>
            End snooze now
          </button>
          {ending.error && (
            <p className="form-error" role="alert">
              {ending.error}
            </p>
          )}
        </div>
      )}
      <DialogForm onSubmit={() => void snoozing.submit()} onCancel={onClose} submitLabel="Snooze" busy={snoozing.busy} error={snoozing.error}>
        <fieldset className="choices">
          <legend>Snooze for</legend>
          {DURATIONS.map((d, i) => (
            <label key={d.minutes} className="choice">
              <input type="radio" name="duration" value={d.minutes} checked={minutes === d.minutes} onChange={() => setMinutes(d.minutes)} autoFocus={i === 0} />
              {d.label}
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>
            Reason <span className="hint">(optional)</span>
          </span>
          <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
        </label>
      </DialogForm>
    </Dialog>
  );
}
