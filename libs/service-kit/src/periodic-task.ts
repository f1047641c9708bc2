import type { JsonLogger } from './logger';

/**
 * Background work on a timer (AD-01 sweeps, scheduled publications, partition upkeep): one run at
 * a time, a failure logged (never thrown) and retried at the next interval, and a timer that does
 * not keep the process alive. `runNow` also serves callers that need the result at once.
 */
export class PeriodicTask<T> {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<T | undefined> | null = null;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<T>,
    private readonly log: Pick<JsonLogger, 'error'>,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runNow(), this.intervalMs);
    this.timer.unref();
  }

  /** Runs the task now, or joins the run in progress; undefined when it failed. */
  runNow(): Promise<T | undefined> {
    this.running ??= this.task()
      .catch((error: unknown) => {
        this.log.error(`${this.name} failed; retried at the next interval`, { error: String(error) });
        return undefined;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
