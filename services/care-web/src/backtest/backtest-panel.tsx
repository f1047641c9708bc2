import { useId, useState, type FormEvent } from 'react';
import type { BacktestResponse } from '@rpm/contracts';
import { formatDateTime } from '../ui/format';
import { BacktestResult } from './backtest-result';
import { defaultDates, rangeOfDates, type DateRange } from './period';
import { useBacktest } from './use-backtest';

interface BacktestPanelProps {
  /** What is replayed against what: "Version 3 against version 2 in force, over the programme's patients." */
  readonly describe: string;
  /** Why it cannot start now ("Save the draft first"), or null. */
  readonly blocked: string | null;
  readonly start: (range: { from: string; to: string }) => Promise<BacktestResponse>;
  /** A refused start (a 400 names the fields of the draft it was given). */
  readonly onRefused?: (error: unknown) => void;
}

/**
 * A backtest of a draft: the period (the last 30 days unless changed), start, the progress bar
 * and cancel while it runs, then the comparison with the protocol in force.
 */
export function BacktestPanel({ describe, blocked, start, onRefused }: BacktestPanelProps) {
  const { state, start: startJob, resume, cancel } = useBacktest();
  const [dates, setDates] = useState<DateRange>(() => defaultDates(Date.now()));
  const [periodError, setPeriodError] = useState<string | null>(null);
  const headingId = useId();
  const errorId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const range = rangeOfDates(dates, Date.now());
    if ('error' in range) {
      setPeriodError(range.error);
      return;
    }
    setPeriodError(null);
    const refused = await startJob(() => start(range));
    if (refused) onRefused?.(refused);
  };

  const running = state.kind === 'running' || state.kind === 'starting';
  const job = state.kind === 'running' || state.kind === 'finished' ? state.job : state.kind === 'error' ? state.job : null;
  return (
    <section className="backtest" aria-labelledby={headingId}>
      <h3 id={headingId}>Backtest</h3>
      <p className="hint">{describe}</p>
      <form className="backtest-form" onSubmit={(e) => void submit(e)}>
        <label>
          From
          <input type="date" value={dates.from} onChange={(e) => setDates({ ...dates, from: e.target.value })} aria-describedby={periodError ? errorId : undefined} required />
        </label>
        <label>
          To
          <input type="date" value={dates.to} onChange={(e) => setDates({ ...dates, to: e.target.value })} aria-describedby={periodError ? errorId : undefined} required />
        </label>
        <button type="submit" className="primary" disabled={running || blocked !== null} aria-busy={state.kind === 'starting'}>
          {state.kind === 'starting' ? 'Starting…' : 'Start backtest'}
        </button>
        {blocked && <span className="hint">{blocked}</span>}
      </form>
      {periodError && (
        <p id={errorId} className="form-error" role="alert">
          {periodError}
        </p>
      )}
      {state.kind === 'running' && <Progress job={state.job} cancelling={state.cancelling} onCancel={() => void cancel()} />}
      {state.kind === 'error' && (
        <div className="form-error" role="alert">
          {state.message}
          {state.job && (
            <button type="button" onClick={() => state.job && resume(state.job)}>
              Check again
            </button>
          )}
        </div>
      )}
      {state.kind === 'finished' && <Outcome job={state.job} />}
      {state.kind === 'finished' && state.job.result && <BacktestResult job={state.job} result={state.job.result} />}
      {job && state.kind !== 'finished' && <p className="hint backtest-id">Backtest {job.id}</p>}
    </section>
  );
}

function Progress({ job, cancelling, onCancel }: { job: BacktestResponse; cancelling: boolean; onCancel: () => void }) {
  const { done, total } = job.progress;
  return (
    <div className="backtest-progress" data-backtest-id={job.id}>
      <label>
        Replaying {formatDateTime(job.from)} to {formatDateTime(job.to)}
        {/* No total yet: an indeterminate bar. */}
        <progress value={total > 0 ? done : undefined} max={total > 0 ? total : undefined} />
      </label>
      <span role="status" aria-live="polite">
        {cancelling ? 'Cancelling…' : `${done} of ${total} patients`}
      </span>
      <button type="button" onClick={onCancel} disabled={cancelling}>
        Cancel backtest
      </button>
    </div>
  );
}

function Outcome({ job }: { job: BacktestResponse }) {
  switch (job.status) {
    case 'done':
      return (
        <p className="notice ok" role="status">
          Backtest finished: {job.progress.done} of {job.progress.total} patients replayed.
        </p>
      );
    case 'cancelled':
      return (
        <p className="notice" role="status">
          Backtest cancelled after {job.progress.done} of {job.progress.total} patients: the comparison below covers those only.
        </p>
      );
    case 'failed':
      return (
        <p className="form-error" role="alert">
          The backtest failed: {job.error ?? 'no reason given'}. Start it again.
        </p>
      );
    case 'running':
      return null;
  }
}
