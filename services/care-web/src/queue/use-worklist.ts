import { useCallback, useEffect, useRef, useState } from 'react';
import type { AlertListResponse, AlertResponse } from '@rpm/contracts';
import { ApiRequestError, messageOf, queryString } from '../api/api-client';
import { useAlertStream } from '../api/alert-stream-context';
import { useSession } from '../auth/session-context';
import { alertQuery, matchesFilters, placeAlert, type WorklistFilters } from './worklist-filters';

export type LoadState = { readonly kind: 'loading' } | { readonly kind: 'error'; readonly message: string } | { readonly kind: 'ready' };

/** One page of the worklist: enough for a shift; "Load more" follows the cursor. */
const PAGE_SIZE = 100;

interface Known {
  readonly alert: AlertResponse;
  /** When this version was read: a list requested before it must not overwrite it. */
  readonly readAt: number;
}

const isNewer = (candidate: AlertResponse, known: AlertResponse | undefined) => !known || Date.parse(candidate.updatedAt) >= Date.parse(known.updatedAt);

/**
 * The worklist for the filters, kept current by the alert stream: each event re-reads its alert
 * (GET /alerts/{id}) and puts it in place, or takes it out when it no longer matches. Versions are
 * compared by updatedAt, so a slow list response never brings back an alert already resolved.
 */
export function useWorklist(filters: WorklistFilters) {
  const { api, identity } = useSession();
  const [items, setItems] = useState<AlertResponse[]>([]);
  const [state, setState] = useState<LoadState>({ kind: 'loading' });
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const known = useRef(new Map<string, Known>());
  const filtersRef = useRef(filters);
  const query = queryString({ ...alertQuery(filters), limit: PAGE_SIZE });

  const matches = useCallback((alert: AlertResponse) => matchesFilters(alert, filtersRef.current, identity.sub, Date.now()), [identity.sub]);

  /** A version read by id or returned by an action: remembered, then placed (or removed). */
  const apply = useCallback(
    (alert: AlertResponse) => {
      if (!isNewer(alert, known.current.get(alert.id)?.alert)) return;
      known.current.set(alert.id, { alert, readAt: Date.now() });
      setItems((list) => placeAlert(list, alert, matches(alert)));
    },
    [matches],
  );

  const load = useCallback(
    async (signal: AbortSignal, quiet: boolean) => {
      const requestedAt = Date.now();
      if (!quiet) setState({ kind: 'loading' });
      try {
        const page = await api.get<AlertListResponse>(`/alerts${query}`, signal);
        const listed = new Set(page.items.map((a) => a.id));
        const newest = page.items.map((a) => {
          const mine = known.current.get(a.id);
          return mine && !isNewer(a, mine.alert) ? mine.alert : a;
        });
        // Alerts read after this list was requested (raised meanwhile) stay, when they match.
        const since = [...known.current.values()].filter((k) => k.readAt > requestedAt && !listed.has(k.alert.id)).map((k) => k.alert);
        setItems([...newest, ...since].filter(matches).reduce<AlertResponse[]>((list, a) => placeAlert(list, a, true), []));
        setNextCursor(page.nextCursor);
        setState({ kind: 'ready' });
      } catch (error) {
        if (signal.aborted) return;
        setState({ kind: 'error', message: messageOf(error) });
      }
    },
    [api, query, matches],
  );

  const reloadController = useRef<AbortController | null>(null);
  const reload = useCallback(
    (quiet = false) => {
      reloadController.current?.abort();
      const controller = new AbortController();
      reloadController.current = controller;
      void load(controller.signal, quiet);
    },
    [load],
  );

  useEffect(() => {
    filtersRef.current = filters;
    setItems([]);
    setNextCursor(null);
    reload();
    return () => reloadController.current?.abort();
    // The query string carries every filter: reload exactly when it changes (reload itself changes with it).
  }, [query]);

  const refresh = useCallback(
    async (alertId: string) => {
      try {
        apply(await api.get<AlertResponse>(`/alerts/${alertId}`));
      } catch (error) {
        // Gone from view (or an API without GET /alerts/{id}): the list itself is the truth.
        if (error instanceof ApiRequestError && (error.status === 404 || error.status === 403)) reload(true);
      }
    },
    [api, apply, reload],
  );

  useAlertStream((message) => {
    if (message.kind === 'resync') reload(true);
    else void refresh(message.event.alertId);
  });

  const loadMore = useCallback(async () => {
    if (!nextCursor) return;
    try {
      const page = await api.get<AlertListResponse>(`/alerts${queryString({ ...alertQuery(filtersRef.current), limit: PAGE_SIZE, cursor: nextCursor })}`);
      setItems((list) => page.items.filter(matches).reduce((acc, a) => placeAlert(acc, a, true), list));
      setNextCursor(page.nextCursor);
    } catch (error) {
      setState({ kind: 'error', message: messageOf(error) });
    }
  }, [api, nextCursor, matches]);

  return { items, state, hasMore: nextCursor !== null, loadMore, apply, reload };
}
