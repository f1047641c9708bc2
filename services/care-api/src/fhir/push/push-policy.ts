/** What one try of a push came to (docs/adr/0012-ehr-push.md). */
export type TryOutcome =
  | { readonly kind: 'pushed'; readonly status: number }
  | { readonly kind: 'retry'; readonly status: number | null; readonly cause: RetryCause; readonly detail: string; readonly retryAfterMs: number | null }
  | { readonly kind: 'reject'; readonly status: number; readonly detail: string };

export type RetryCause = 'http_5xx' | 'http_429' | 'http_408' | 'timeout' | 'network' | 'source_unavailable';

export interface BackoffSettings {
  readonly baseMs: number;
  readonly maxMs: number;
  /** The longest Retry-After honoured; a server asking for more is retried after this long. */
  readonly retryAfterMaxMs: number;
}

/** Retry-After as delay-seconds or an HTTP-date (RFC 9110 10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

const DETAIL_MAX = 300;

/** The first issue of an OperationOutcome (diagnostics, else details.text), for a dead letter's detail. */
export function outcomeDetail(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { resourceType?: string; issue?: { code?: string; diagnostics?: string; details?: { text?: string } }[] };
    if (parsed.resourceType !== 'OperationOutcome') return null;
    const issue = parsed.issue?.[0];
    const text = issue?.diagnostics ?? issue?.details?.text ?? issue?.code;
    return text ? text.slice(0, DETAIL_MAX) : null;
  } catch {
    return null;
  }
}

/**
 * An answer to a transaction: 2xx pushed; 5xx, 408 and 429 worth another try (the server or the way to it
 * is in trouble, or asks us to slow down); any other 4xx a refusal of this Bundle that another try of the
 * same Bundle cannot change (R4: a failed transaction is a 4xx or 5xx with an OperationOutcome).
 */
export function classifyResponse(status: number, retryAfter: string | null, body: string, nowMs: number): TryOutcome {
  if (status >= 200 && status < 300) return { kind: 'pushed', status };
  const outcome = outcomeDetail(body);
  const detail = `HTTP ${status}${outcome ? `: ${outcome}` : ''}`;
  if (status >= 500 || status === 408 || status === 429) {
    const cause: RetryCause = status === 429 ? 'http_429' : status === 408 ? 'http_408' : 'http_5xx';
    return { kind: 'retry', status, cause, detail, retryAfterMs: parseRetryAfter(retryAfter, nowMs) };
  }
  return { kind: 'reject', status, detail };
}

/**
 * The wait after the `attempt`-th failed try (1-based): exponential from baseMs, capped at maxMs, with
 * "equal jitter" (half fixed, half random) so that many pushers failing together do not retry together;
 * never shorter than the server's Retry-After (itself capped at retryAfterMaxMs).
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | null, settings: BackoffSettings, random: () => number = Math.random): number {
  const exponential = Math.min(settings.maxMs, settings.baseMs * 2 ** Math.min(attempt - 1, 30));
  const jittered = exponential / 2 + random() * (exponential / 2);
  const asked = retryAfterMs === null ? 0 : Math.min(retryAfterMs, settings.retryAfterMaxMs);
  return Math.round(Math.max(jittered, asked));
}
