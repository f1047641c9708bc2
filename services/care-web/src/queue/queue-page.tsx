import { useCallback, useEffect, useRef, useState } from 'react';
import type { AlertResponse } from '@rpm/contracts';
import { useSession } from '../auth/session-context';
import { Announcer, useAlertActions, type AlertDialogKind } from '../dialogs/alert-actions';
import { ShortcutsDialog } from '../dialogs/shortcuts-dialog';
import { navigate, useLocation } from '../ui/router';
import { Empty, ErrorState, Loading } from '../ui/states';
import { useNow } from '../ui/use-now';
import { AlertRow, patientPath } from './alert-row';
import { QUEUE_PANEL_ID, QueueFilters, QueueTabs, queueTabId } from './queue-filters';
import { useShortcuts } from './use-shortcuts';
import { useWorklist } from './use-worklist';
import { DEFAULT_FILTERS, filtersFromSearch, searchOfFilters, type WorklistFilters } from './worklist-filters';

/** The live queue: tabs, filters, the list kept current by the stream, and keyboard actions. */
export function QueuePage() {
  const { identity } = useSession();
  const location = useLocation();
  const filters = filtersFromSearch(location.searchParams);
  const setFilters = (next: WorklistFilters) => navigate(searchOfFilters(next), { replace: true });
  const { items, state, hasMore, loadMore, apply, reload } = useWorklist(filters);
  const actions = useAlertActions(apply);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const now = useNow();

  // Selection follows the alert, not the position; when it leaves the list, its neighbour takes over.
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const lastIndex = useRef(0);
  const foundIndex = items.findIndex((a) => a.id === selectedId);
  const index = foundIndex >= 0 ? foundIndex : Math.min(lastIndex.current, items.length - 1);
  const selected: AlertResponse | undefined = items[index];
  useEffect(() => {
    if (index >= 0) lastIndex.current = index;
  });

  const rows = useRef(new Map<string, HTMLLIElement>());
  const select = useCallback((alert: AlertResponse | undefined, focus: boolean) => {
    if (!alert) return;
    setSelectedId(alert.id);
    const row = rows.current.get(alert.id);
    if (focus && row) {
      row.focus({ preventScroll: true });
      row.scrollIntoView({ block: 'nearest' });
    }
  }, []);

  const act = (kind: AlertDialogKind) => selected && actions.openDialog(kind, selected);
  useShortcuts({
    j: () => select(items[Math.min(index + 1, items.length - 1)], true),
    k: () => select(items[Math.max(index - 1, 0)], true),
    a: () => selected && void actions.acknowledge(selected),
    r: () => act('resolve'),
    s: () => act('snooze'),
    g: () => act('assign'),
    n: () => act('note'),
    Enter: () => selected && navigate(patientPath(selected)),
    '?': () => setShowShortcuts(true),
  });

  const queueName = filters.queue === 'clinical' ? 'Clinical' : 'Adherence';
  const filtered = JSON.stringify({ ...filters, queue: DEFAULT_FILTERS.queue }) !== JSON.stringify(DEFAULT_FILTERS);
  return (
    <main className="queue-page" aria-labelledby="queue-heading">
      <div className="queue-header">
        <h1 id="queue-heading" className="visually-hidden">
          Worklist
        </h1>
        <QueueTabs filters={filters} onChange={setFilters} />
        <QueueFilters filters={filters} onChange={setFilters} />
        <button type="button" className="link-button" onClick={() => setShowShortcuts(true)} aria-keyshortcuts="?">
          Shortcuts <kbd>?</kbd>
        </button>
      </div>
      <section id={QUEUE_PANEL_ID} role="tabpanel" aria-labelledby={queueTabId(filters.queue)} className="queue-panel">
        {state.kind === 'loading' && <Loading what={`the ${queueName.toLowerCase()} queue`} />}
        {state.kind === 'error' && <ErrorState title="The worklist could not be loaded" message={state.message} onRetry={() => reload()} />}
        {state.kind === 'ready' && items.length === 0 && (
          <Empty title={filtered ? 'Nothing matches these filters' : `No ${queueName.toLowerCase()} alerts`}>
            {filtered ? 'Change the filters to see more.' : 'New alerts appear here as they arrive; no need to reload.'}
          </Empty>
        )}
        {state.kind === 'ready' && items.length > 0 && (
          <>
            <p className="queue-count" aria-live="polite">
              {items.length}
              {hasMore ? '+' : ''} {items.length === 1 ? 'alert' : 'alerts'}
            </p>
            <ol className="worklist" aria-label={`${queueName} alerts`}>
              {items.map((alert) => (
                <AlertRow
                  key={alert.id}
                  ref={(el) => {
                    if (el) rows.current.set(alert.id, el);
                    else rows.current.delete(alert.id);
                  }}
                  alert={alert}
                  selected={alert.id === selected?.id}
                  now={now}
                  me={identity.sub}
                  onSelect={() => select(alert, false)}
                  onAcknowledge={() => void actions.acknowledge(alert)}
                  onDialog={(kind) => actions.openDialog(kind, alert)}
                />
              ))}
            </ol>
            {hasMore && (
              <button type="button" className="load-more" onClick={() => void loadMore()}>
                Load more
              </button>
            )}
          </>
        )}
      </section>
      {actions.dialog}
      {showShortcuts && <ShortcutsDialog onClose={() => setShowShortcuts(false)} />}
      <Announcer announcement={actions.announcement} />
    </main>
  );
}
