/** How often and how long to retry one operation. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** The first retry waits up to this long; each later one up to twice the one before. */
  readonly baseDelayMs: number;
  /** No single wait is longer. */
  readonly maxDelayMs: number;
}

/** What the retry loop needs from its surroundings: injected so tests neither wait nor roll dice. */
export interface RetryEnvironment {
  readonly isRetryable: (error: unknown) => boolean;
  readonly sleep: (ms: number) => Promise<void>;
  /** In [0, 1), as Math.random. */
  readonly random: () => number;
  readonly now: () => number;
  /** No retry is started that would wait past this instant (epoch ms). */
  readonly deadline?: number;
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export type RetryOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number }
  /** `exhausted`: the error was worth retrying, but attempts or time ran out; otherwise it was final. */
  | { readonly ok: false; readonly error: unknown; readonly attempts: number; readonly exhausted: boolean };

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Exponential backoff with full jitter: a random wait in [0, min(max, base * 2^(retry-1))).
 * Random, so that writers throttled together do not come back together.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** Runs `operation` until it succeeds, fails for good, or the policy or deadline says stop. Never throws. */
export async function retryWithBackoff<T>(operation: () => Promise<T>, policy: RetryPolicy, env: RetryEnvironment): Promise<RetryOutcome<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await operation(), attempts: attempt };
    } catch (error) {
      if (!env.isRetryable(error)) return { ok: false, error, attempts: attempt, exhausted: false };
      const delayMs = backoffDelayMs(attempt, policy, env.random);
      const outOfTime = env.deadline !== undefined && env.now() + delayMs >= env.deadline;
      if (attempt >= policy.maxAttempts || outOfTime) return { ok: false, error, attempts: attempt, exhausted: true };
      env.onRetry?.(error, attempt, delayMs);
      await env.sleep(delayMs);
    }
  }
}
