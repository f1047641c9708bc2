import type { AlertResponse } from '@rpm/contracts';
import type { AlertDialogKind } from '../dialogs/alert-actions';
import { AlertBadges, SeverityChip, StatusChip } from '../ui/alert-badges';
import { formatDateTime } from '../ui/format';
import { AlertExplanation } from './alert-explanation';

interface AlertCardProps {
  alert: AlertResponse;
  now: number;
  onAcknowledge: () => void;
  onDialog: (kind: AlertDialogKind) => void;
}

/** One alert on the patient page: what happened to it, its explanation, its notes and actions. */
export function AlertCard({ alert, now, onAcknowledge, onDialog }: AlertCardProps) {
  const headingId = `alert-card-${alert.id}`;
  return (
    <article className={`alert-card sev-border-${alert.severity}`} aria-labelledby={headingId} data-alert-id={alert.id} data-status={alert.status}>
      <header>
        <SeverityChip severity={alert.severity} />
        <h3 id={headingId}>
          {alert.ruleId} · {alert.summary}
        </h3>
        <StatusChip status={alert.status} />
      </header>
      <AlertBadges alert={alert} now={now} />
      <dl className="facts">
        <div>
          <dt>Raised</dt>
          <dd>{formatDateTime(alert.raisedAt)}</dd>
        </div>
        {alert.acknowledgedAt && (
          <div>
            <dt>Acknowledged</dt>
            <dd>
              {formatDateTime(alert.acknowledgedAt)} by {alert.acknowledgedBy}
            </dd>
          </div>
        )}
        {alert.resolvedAt && (
          <div>
            <dt>Resolved</dt>
            <dd>
              {formatDateTime(alert.resolvedAt)} by {alert.resolvedBy}: {alert.disposition?.replace(/_/g, ' ')}
              {alert.note ? ` — “${alert.note}”` : ''}
            </dd>
          </div>
        )}
        <div>
          <dt>Assigned</dt>
          <dd>{alert.assignedTo ?? 'nobody'}</dd>
        </div>
      </dl>
      <details className="explanation-details" open={alert.status !== 'resolved'}>
        <summary>Why it fired</summary>
        <AlertExplanation alert={alert} />
      </details>
      {alert.notes?.length > 0 && (
        <section className="notes" aria-label="Notes">
          <h4>Notes</h4>
          <ul>
            {alert.notes.map((n) => (
              <li key={n.id}>
                <span className="note-meta">
                  {n.author}, {formatDateTime(n.createdAt)}:
                </span>{' '}
                {n.body}
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="card-actions" role="group" aria-label={`Actions on ${alert.ruleId}`}>
        {alert.status === 'open' && (
          <button type="button" onClick={onAcknowledge}>
            Acknowledge
          </button>
        )}
        {alert.status !== 'resolved' && (
          <>
            <button type="button" onClick={() => onDialog('resolve')}>
              Resolve…
            </button>
            <button type="button" onClick={() => onDialog('snooze')}>
              Snooze…
            </button>
            <button type="button" onClick={() => onDialog('assign')}>
              Assign…
            </button>
          </>
        )}
        <button type="button" onClick={() => onDialog('note')}>
          Add note…
        </button>
      </div>
    </article>
  );
}
