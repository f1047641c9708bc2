import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  const silent = () => ({ error: jest.fn() });

  it('joins a run in progress instead of starting a second one', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const task = new PeriodicTask('test', 60_000, () => new Promise<number>((resolve) => ((runs += 1), (release = () => resolve(runs)))), silent());
    const first = task.runNow();
    const second = task.runNow();
    release();
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    expect(runs).toBe(1);
  });

  it('logs a failure, answers undefined, and runs again next time', async () => {
    const log = silent();
    let fail = true;
    const task = new PeriodicTask('flaky job', 60_000, async () => {
      if (fail) throw new Error('database down');
      return 'ok';
    }, log);
    expect(await task.runNow()).toBeUndefined();
    expect(log.error).toHaveBeenCalledWith('flaky job failed; retried at the next interval', { error: 'Error: database down' });
    fail = false;
    expect(await task.runNow()).toBe('ok');
  });

  it('runs on its interval until stopped', async () => {
    jest.useFakeTimers();
    try {
      let runs = 0;
      const task = new PeriodicTask('tick', 1_000, async () => (runs += 1), silent());
      task.start();
      await jest.advanceTimersByTimeAsync(3_500);
      task.stop();
      await jest.advanceTimersByTimeAsync(3_000);
      expect(runs).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });
});
