import type { Ref } from 'react';
import type { AlertResponse } from '@rpm/contracts';
import type { AlertDialogKind } from '../dialogs/alert-actions';
import { patientName } from '../dialogs/alert-title';
import { Link } from '../ui/router';
import { AlertBadges, SeverityChip, StatusChip } from '../ui/alert-badges';
import { formatAge } from '../ui/format';

interface AlertRowProps {
  alert: AlertResponse;
  selected: boolean;
  now: number;
  me: string;
  onSelect: () => void;
  onAcknowledge: () => void;
  onDialog: (kind: AlertDialogKind) => void;
  ref?: Ref<HTMLLIElement>;
}

export const patientPath = (alert: Pick<AlertResponse, 'patientId'>) => `/patients/${alert.patientId}`;

/**
 * One worklist item: severity in colour and words, patient, rule and summary, how long it has
 * waited, badges; the selected row shows its actions (touch screens have no shortcuts).
 */
export function AlertRow({ alert, selected, now, me, onSelect, onAcknowledge, onDialog, ref }: AlertRowProps) {
  const titleId = `alert-${alert.id}-title`;
  return (
    <li
      ref={ref}
      className={`alert-row sev-border-${alert.severity}${selected ? ' selected' : ''}`}
      data-alert-id={alert.id}
      data-status={alert.status}
      aria-current={selected ? 'true' : undefined}
      aria-labelledby={titleId}
      // A roving tab stop: Tab reaches the selected row, j and k move from there.
      tabIndex={selected ? 0 : -1}
      onClick={onSelect}
      onFocus={onSelect}
    >
      <div className="alert-row-main">
        <SeverityChip severity={alert.severity} />
        <div className="alert-row-text">
          <p id={titleId} className="alert-row-title">
            <span className="patient-name">{patientName(alert)}</span>
            {alert.patient && <span className="mrn">MRN {alert.patient.mrn}</span>}
            <span className="rule-id">{alert.ruleId}</span>
          </p>
          <p className="alert-row-summary">{alert.summary}</p>
          <p className="alert-row-meta">
            <span title={`raised ${alert.raisedAt}`}>raised {formatAge(alert.raisedAt, now)}</span>
            <StatusChip status={alert.status} />
            <span className="assignee">{alert.assignedTo ? `Assigned: ${alert.assignedTo === me ? 'me' : alert.assignedTo}` : 'Unassigned'}</span>
          </p>
          <AlertBadges alert={alert} now={now} />
        </div>
      </div>
      {selected && (
        <div className="row-actions" role="group" aria-label={`Actions on ${alert.ruleId} for ${patientName(alert)}`}>
          <button type="button" onClick={onAcknowledge} disabled={alert.status !== 'open'}>
            Acknowledge <kbd>a</kbd>
          </button>
          <button type="button" onClick={() => onDialog('resolve')} disabled={alert.status === 'resolved'}>
            Resolve… <kbd>r</kbd>
          </button>
          <button type="button" onClick={() => onDialog('snooze')} disabled={alert.status === 'resolved'}>
            Snooze… <kbd>s</kbd>
          </button>
          <button type="button" onClick={() => onDialog('assign')} disabled={alert.status === 'resolved'}>
            Assign… <kbd>g</kbd>
          </button>
          <button type="button" onClick={() => onDialog('note')}>
            Note… <kbd>n</kbd>
          </button>
          <Link to={patientPath(alert)} className="button-link">
            Open patient <kbd>Enter</kbd>
          </Link>
        </div>
      )}
    </li>
  );
}
