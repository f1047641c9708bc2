import type { ReactNode } from 'react';
import { Link } from './router';

/** The three states every view shows while it has no data to show. */
export function Loading({ what }: { what: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      Loading {what}…
    </div>
  );
}

export function ErrorState({ title, message, onRetry }: { title: string; message: string; onRetry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <strong>{title}</strong>
      <p>{message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <strong>{title}</strong>
      {children && <p>{children}</p>}
    </div>
  );
}

/** A page or action the signed-in role may not use: the API said 403, or the role cannot (leads' pages for nurses). */
export function Forbidden({ what, role }: { what: string; role: string }) {
  return (
    <div className="state state-forbidden" role="alert">
      <strong>{what} is for clinical leads and admins</strong>
      <p>
        You are signed in as {role.replace(/_/g, ' ')}. <Link to="/">Go to the worklist</Link>
      </p>
    </div>
  );
}
