import { randomUUID } from 'node:crypto';

export type DynsecCommand = Record<string, unknown> & { command: string };
export interface DynsecResponse {
  command: string;
  error?: string;
  correlationData?: string;
  /** Present on get* commands. */
  data?: unknown;
}

/**
 * Matches Mosquitto dynamic-security responses to the commands that asked for them. Every
 * admin connection sees every response, so each command carries a correlationData id.
 * No I/O: the caller publishes `payload` and feeds response messages to `receive`.
 */
export class DynsecCorrelator {
  private readonly waiting = new Map<string, (response: DynsecResponse) => void>();

  constructor(private readonly timeoutMs: number) {}

  get pending(): number {
    return this.waiting.size;
  }

  /** Tags the commands; `answers` resolves with one response per command, in order, or rejects on the first timeout. */
  prepare(commands: DynsecCommand[]): { payload: string; answers: Promise<DynsecResponse[]> } {
    const tagged = commands.map((c) => ({ ...c, correlationData: randomUUID() }));
    const each = tagged.map(
      (c) =>
        new Promise<DynsecResponse>((resolve, reject) => {
          const timer = setTimeout(() => {
            this.waiting.delete(c.correlationData);
            reject(new Error(`dynamic-security ${c.command} timed out`));
          }, this.timeoutMs);
          this.waiting.set(c.correlationData, (response) => {
            clearTimeout(timer);
            resolve(response);
          });
        }),
    );
    // Settle every answer: a second timeout must not become an unhandled rejection.
    const answers = Promise.allSettled(each).then((results) => {
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
      return results.map((r) => (r as PromiseFulfilledResult<DynsecResponse>).value);
    });
    // Marked handled now: the caller awaits it only after publishing, and a timeout may come first.
    answers.catch(() => undefined);
    return { payload: JSON.stringify({ commands: tagged }), answers };
  }

  /** A message from the response topic; responses to other clients' commands are ignored. */
  receive(payload: Buffer | string): void {
    let body: { responses?: DynsecResponse[] };
    try {
      body = JSON.parse(payload.toString()) as { responses?: DynsecResponse[] };
    } catch {
      return;
    }
    for (const response of body.responses ?? []) {
      const id = response.correlationData;
      const resolve = id ? this.waiting.get(id) : undefined;
      if (!id || !resolve) continue;
      this.waiting.delete(id);
      resolve(response);
    }
  }
}
