import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../api/api-client';

export type Resource<T> =
  | { readonly kind: 'loading' }
  | { readonly kind: 'error'; readonly message: string; readonly status: number | null }
  | { readonly kind: 'ready'; readonly data: T };

/** One request's loading, error and data states; `reload` asks again. `key` changes re-fetch. */
export function useResource<T>(key: string, fetcher: (signal: AbortSignal) => Promise<T>): [Resource<T>, () => void, (update: (data: T) => T) => void] {
  const [state, setState] = useState<Resource<T>>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: 'loading' });
    fetcher(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ kind: 'ready', data }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : null;
        setState({ kind: 'error', message: messageOf(error), status });
      },
    );
    return () => controller.abort();
    // `fetcher` is a new function every render; the key says when the request is a different one.
  }, [key, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const update = useCallback((change: (data: T) => T) => setState((s) => (s.kind === 'ready' ? { kind: 'ready', data: change(s.data) } : s)), []);
  return [state, reload, update];
}
