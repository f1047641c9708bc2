import { useCallback, useState } from 'react';
import { Dialog, DialogForm } from '../dialogs/dialog';
import { useSubmit } from '../dialogs/use-submit';

/** Asks why before an action that changes what patients are judged by (a rollback): the reason is kept with the new version. */
export function ReasonDialog<T>({
  title,
  note,
  submitLabel,
  action,
  onClose,
  onDone,
}: {
  title: string;
  note: string;
  submitLabel: string;
  action: (reason: string) => Promise<T>;
  onClose: () => void;
  onDone: (result: T) => void;
}) {
  const [reason, setReason] = useState('');
  const run = useCallback(() => action(reason.trim()), [action, reason]);
  const { busy, error, submit } = useSubmit(run, onDone);
  return (
    <Dialog title={title} onClose={onClose}>
      <p className="dialog-note">{note}</p>
      <DialogForm onSubmit={() => void submit()} onCancel={onClose} submitLabel={submitLabel} busy={busy} error={error} submitDisabled={reason.trim() === ''}>
        <label className="field">
          Reason
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} rows={3} autoFocus required />
        </label>
      </DialogForm>
    </Dialog>
  );
}
