import { useCallback, useEffect, useRef, useState } from 'react';
import type { BacktestResponse } from '@rpm/contracts';
import { messageOf } from '../api/api-client';
import { useSession } from '../auth/session-context';

/**
 * How often a running job is read. The API writes progress every 10 patients; once a second keeps
 * the bar moving without loading the API (one small row read per open screen).
 */
const POLL_MS = 1_000;

export type BacktestState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'starting' }
  | { readonly kind: 'running'; readonly job: BacktestResponse; readonly cancelling: boolean }
  | { readonly kind: 'finished'; readonly job: BacktestResponse }
  /** Starting failed (no job), or reading a running job failed (`job`: the last one read, to try again). */
  | { readonly kind: 'error'; readonly message: string; readonly job: BacktestResponse | null };

/** One backtest job at a time: start it, follow its progress until it ends, cancel it. */
export function useBacktest() {
  const { api } = useSession();
  const [state, setState] = useState<BacktestState>({ kind: 'idle' });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Each start or resume gets a number; answers for an older one are dropped.
  const generation = useRef(0);

  useEffect(
    () => () => {
      generation.current += 1;
      clearTimeout(timer.current);
    },
    [],
  );

  const follow = useCallback(
    (job: BacktestResponse, mine: number) => {
      if (mine !== generation.current) return;
      if (job.status !== 'running') {
        setState({ kind: 'finished', job });
        return;
      }
      setState((s) => ({ kind: 'running', job, cancelling: s.kind === 'running' && s.job.id === job.id && s.cancelling }));
      timer.current = setTimeout(() => {
        api.get<BacktestResponse>(`/backtests/${job.id}`).then(
          (next) => follow(next, mine),
          (error: unknown) => mine === generation.current && setState({ kind: 'error', message: `The backtest's progress could not be read: ${messageOf(error)}`, job }),
        );
      }, POLL_MS);
    },
    [api],
  );

  /** Starts a job with `request`; resolves with the error when the API refused it (a 400 names fields), else null. */
  const start = useCallback(
    async (request: () => Promise<BacktestResponse>): Promise<unknown> => {
      const mine = ++generation.current;
      clearTimeout(timer.current);
      setState({ kind: 'starting' });
      try {
        follow(await request(), mine);
        return null;
      } catch (error) {
        if (mine === generation.current) setState({ kind: 'error', message: `The backtest did not start: ${messageOf(error)}`, job: null });
        return error;
      }
    },
    [follow],
  );

  /** Follows a job again after a failed read. */
  const resume = useCallback(
    (job: BacktestResponse) => {
      const mine = ++generation.current;
      clearTimeout(timer.current);
      api.get<BacktestResponse>(`/backtests/${job.id}`).then(
        (next) => follow(next, mine),
        (error: unknown) => mine === generation.current && setState({ kind: 'error', message: `The backtest's progress could not be read: ${messageOf(error)}`, job }),
      );
    },
    [api, follow],
  );

  /** Asks the API to stop the job; it keeps what it replayed and ends as cancelled at its next progress write. */
  const cancel = useCallback(async () => {
    if (state.kind !== 'running') return;
    const { job } = state;
    setState({ kind: 'running', job, cancelling: true });
    try {
      await api.delete<BacktestResponse>(`/backtests/${job.id}`);
    } catch {
      // 409: it ended meanwhile; the next read shows how.
    }
  }, [api, state]);

  return { state, start, resume, cancel };
}
