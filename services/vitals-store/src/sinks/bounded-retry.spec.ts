import { backoffDelayMs, retryWithBackoff, type RetryEnvironment } from './bounded-retry';

const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 };

function anEnvironment(overrides: Partial<RetryEnvironment> = {}): RetryEnvironment & { waits: number[] } {
  const waits: number[] = [];
  let clock = 0;
  return {
    waits,
    isRetryable: (error) => error instanceof Error && error.message === 'transient',
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    random: () => 0.5,
    now: () => clock,
    ...overrides,
  };
}

describe('backoffDelayMs', () => {
  it('doubles the ceiling per retry up to the cap, and waits a random share of it (full jitter)', () => {
    const almostOne = () => 0.999_999;
    expect([1, 2, 3, 4].map((retry) => backoffDelayMs(retry, policy, almostOne))).toEqual([99, 199, 249, 249]);
    expect(backoffDelayMs(2, policy, () => 0.5)).toBe(100);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
  });
});

describe('retryWithBackoff', () => {
  it('returns the first success, after waiting between transient failures', async () => {
    const env = anEnvironment();
    const results = [new Error('transient'), new Error('transient'), 'done'];
    const outcome = await retryWithBackoff(async () => {
      const next = results.shift();
      if (next instanceof Error) throw next;
      return next;
    }, policy, env);
    expect(outcome).toEqual({ ok: true, value: 'done', attempts: 3 });
    expect(env.waits).toEqual([50, 100]);
  });

  it('stops at once on an error that is not worth retrying', async () => {
    const env = anEnvironment();
    const outcome = await retryWithBackoff(() => Promise.reject(new Error('bad request')), policy, env);
    expect(outcome).toMatchObject({ ok: false, attempts: 1, exhausted: false });
    expect(env.waits).toEqual([]);
  });

  it('gives up after maxAttempts, saying the retries ran out', async () => {
    const env = anEnvironment();
    const retried: number[] = [];
    let calls = 0;
    const alwaysTransient = () => {
      calls++;
      return Promise.reject(new Error('transient'));
    };
    const outcome = await retryWithBackoff(alwaysTransient, policy, { ...env, onRetry: (_error, attempt) => retried.push(attempt) });
    expect(outcome).toMatchObject({ ok: false, attempts: 4, exhausted: true });
    expect(calls).toBe(4);
    expect(retried).toEqual([1, 2, 3]);
  });

  it('does not start a wait that would end past the deadline', async () => {
    const env = anEnvironment({ deadline: 120 });
    const outcome = await retryWithBackoff(() => Promise.reject(new Error('transient')), policy, env);
    // Waits of 50 (clock 50) and 100 (would end at 150 > 120): one retry only.
    expect(outcome).toMatchObject({ ok: false, attempts: 2, exhausted: true });
    expect(env.waits).toEqual([50]);
  });
});
