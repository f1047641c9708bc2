import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';

/**
 * A modal on the native <dialog>: showModal() makes the page behind it inert (focus stays inside)
 * and Escape cancels. Focus goes to the first field (or the element marked autoFocus) and back to
 * what had it when the dialog closes.
 */
export function Dialog({ title, onClose, children, className }: { title: string; onClose: () => void; children: ReactNode; className?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog ${className ?? ''}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

/** The form inside a dialog: Enter submits, the footer holds Cancel and the confirming button. */
export function DialogForm({
  onSubmit,
  onCancel,
  submitLabel,
  busy,
  error,
  children,
  submitDisabled = false,
}: {
  onSubmit: () => void;
  onCancel: () => void;
  submitLabel: string;
  busy: boolean;
  error: string | null;
  children: ReactNode;
  submitDisabled?: boolean;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy && !submitDisabled) onSubmit();
  };
  return (
    <form onSubmit={submit} className="dialog-form">
      {children}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy || submitDisabled} aria-busy={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
