import type { AlertResponse, AlertStatus, Severity } from '@rpm/contracts';
import { formatDateTime, isOverdue, isSnoozed, SEVERITY_LABEL } from './format';

/** Severity in colour and in words (colour alone is not enough for everyone). */
export function SeverityChip({ severity }: { severity: Severity }) {
  return <span className={`chip sev sev-${severity}`}>{SEVERITY_LABEL[severity]}</span>;
}

const STATUS_LABEL = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' } as const satisfies Record<AlertStatus, string>;

export function StatusChip({ status }: { status: AlertStatus }) {
  return <span className={`chip status status-${status}`}>{STATUS_LABEL[status]}</span>;
}

/** What else a nurse must see at a glance: overdue, escalated, back to normal, snoozed, recheck. */
export function AlertBadges({ alert, now }: { alert: AlertResponse; now: number }) {
  const badges: { key: string; text: string; tone: string; title?: string }[] = [];
  if (alert.escalatedAt) badges.push({ key: 'escalated', text: `Escalated${alert.escalatedTo ? ` to ${alert.escalatedTo}` : ''}`, tone: 'danger', title: formatDateTime(alert.escalatedAt) });
  else if (isOverdue(alert, now)) badges.push({ key: 'overdue', text: 'Overdue', tone: 'danger', title: `acknowledge by ${formatDateTime(alert.acknowledgeBy)}` });
  if (alert.returnedToNormalAt) badges.push({ key: 'normal', text: 'Returned to normal', tone: 'calm', title: formatDateTime(alert.returnedToNormalAt) });
  if (isSnoozed(alert, now) && alert.snoozedUntil) badges.push({ key: 'snoozed', text: `Snoozed until ${formatDateTime(alert.snoozedUntil)}`, tone: 'muted' });
  if (alert.kind === 'recheck') badges.push({ key: 'recheck', text: 'Recheck requested', tone: 'info' });
  if (alert.retrospective) badges.push({ key: 'retro', text: 'Retrospective', tone: 'muted', title: 'measured more than 24 h before it arrived' });
  if (alert.breaches > 1) badges.push({ key: 'breaches', text: `${alert.breaches} breaches`, tone: 'info' });
  if (alert.notes?.length) badges.push({ key: 'notes', text: `${alert.notes.length} note${alert.notes.length > 1 ? 's' : ''}`, tone: 'muted' });
  if (badges.length === 0) return null;
  return (
    <ul className="badges" aria-label="Flags">
      {badges.map((b) => (
        <li key={b.key} className={`badge badge-${b.tone}`} title={b.title}>
          {b.text}
        </li>
      ))}
    </ul>
  );
}
