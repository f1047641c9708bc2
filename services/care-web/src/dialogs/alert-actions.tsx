import { useCallback, useState, type ReactNode } from 'react';
import type { AlertResponse } from '@rpm/contracts';
import { messageOf } from '../api/api-client';
import { useSession } from '../auth/session-context';
import { alertTitle } from './alert-title';
import { AssignDialog } from './assign-dialog';
import { NoteDialog } from './note-dialog';
import { ResolveDialog } from './resolve-dialog';
import { SnoozeDialog } from './snooze-dialog';

export type AlertDialogKind = 'resolve' | 'snooze' | 'assign' | 'note';

export interface Announcement {
  readonly text: string;
  readonly tone: 'ok' | 'error';
}

const DONE_TEXT: Record<AlertDialogKind, string> = { resolve: 'Resolved', snooze: 'Updated the snooze of', assign: 'Updated the assignment of', note: 'Added a note to' };

/**
 * The actions on one alert, shared by the queue and the patient page: acknowledge at once, the
 * rest through their dialogs. Every result is announced (a live region) and handed to
 * `onUpdated` with the API's new version of the alert.
 */
export function useAlertActions(onUpdated: (alert: AlertResponse) => void) {
  const { api } = useSession();
  const [open, setOpen] = useState<{ kind: AlertDialogKind; alert: AlertResponse } | null>(null);
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);

  const acknowledge = useCallback(
    async (alert: AlertResponse) => {
      if (alert.status !== 'open') {
        setAnnouncement({ text: `${alertTitle(alert)} is already ${alert.status}.`, tone: 'ok' });
        return;
      }
      try {
        const updated = await api.post<AlertResponse>(`/alerts/${alert.id}/acknowledge`);
        onUpdated(updated);
        setAnnouncement({ text: `Acknowledged ${alertTitle(alert)}.`, tone: 'ok' });
      } catch (error) {
        setAnnouncement({ text: `Could not acknowledge ${alertTitle(alert)}: ${messageOf(error)}`, tone: 'error' });
      }
    },
    [api, onUpdated],
  );

  const openDialog = useCallback((kind: AlertDialogKind, alert: AlertResponse) => {
    if (kind === 'resolve' && alert.status === 'resolved') {
      setAnnouncement({ text: `${alertTitle(alert)} is already resolved.`, tone: 'ok' });
      return;
    }
    setOpen({ kind, alert });
  }, []);

  const close = useCallback(() => setOpen(null), []);
  const done = useCallback(
    (alert: AlertResponse) => {
      const kind = open?.kind;
      setOpen(null);
      onUpdated(alert);
      if (kind) setAnnouncement({ text: `${DONE_TEXT[kind]} ${alertTitle(alert)}.`, tone: 'ok' });
    },
    [open, onUpdated],
  );

  let dialog: ReactNode = null;
  if (open) {
    const props = { alert: open.alert, onClose: close, onDone: done };
    switch (open.kind) {
      case 'resolve':
        dialog = <ResolveDialog {...props} />;
        break;
      case 'snooze':
        dialog = <SnoozeDialog {...props} />;
        break;
      case 'assign':
        dialog = <AssignDialog {...props} />;
        break;
      case 'note':
        dialog = <NoteDialog {...props} />;
        break;
    }
  }
  return { acknowledge, openDialog, dialog, dialogOpen: open !== null, announcement };
}

/** Where action results are read out: polite for success, assertive for failures. */
export function Announcer({ announcement }: { announcement: Announcement | null }) {
  return (
    <div className="announcer">
      <p role="status" aria-live="polite" className={announcement?.tone === 'ok' ? 'toast ok' : 'visually-hidden'}>
        {announcement?.tone === 'ok' ? announcement.text : ''}
      </p>
      <p role="alert" className={announcement?.tone === 'error' ? 'toast error' : 'visually-hidden'}>
        {announcement?.tone === 'error' ? announcement.text : ''}
      </p>
    </div>
  );
}
