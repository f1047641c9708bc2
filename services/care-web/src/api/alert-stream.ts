import type { AlertEventV1 } from '@rpm/contracts';
import type { ApiClient } from './api-client';
import { SseParser } from './sse-parser';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

/** What a screen hears: an alert changed, or "reload": events may have been missed. */
export type StreamMessage = { readonly kind: 'event'; readonly event: AlertEventV1 } | { readonly kind: 'resync' };

/**
 * Waits before reconnecting, by attempt: the first retry is quick (a restarted API is back in a
 * second or two), later ones back off so a down API is not hammered by every open screen.
 */
const RECONNECT_DELAYS_MS = [500, 1_000, 2_000, 5_000, 10_000] as const;

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

function parseEvent(data: string): AlertEventV1 | null {
  try {
    const event = JSON.parse(data) as Partial<AlertEventV1>;
    return typeof event.alertId === 'string' && typeof event.type === 'string' ? (event as AlertEventV1) : null;
  } catch {
    return null;
  }
}

/**
 * Follows GET /alerts/stream until `signal` aborts. EventSource cannot send a bearer token, so
 * the stream is read with fetch and parsed here; a reconnect sends Last-Event-ID with the last
 * number seen, and the server first replays what was missed, so no event is lost. Without a
 * number to resume from (the first connection, or a refused one) listeners are told to resync.
 */
export async function followAlertStream(
  api: ApiClient,
  onMessage: (message: StreamMessage) => void,
  onStatus: (status: StreamStatus) => void,
  signal: AbortSignal,
): Promise<void> {
  let lastEventId: string | undefined;
  for (let attempt = 0; !signal.aborted; ) {
    onStatus(attempt === 0 ? 'connecting' : 'reconnecting');
    try {
      const response = await fetch('/api/v1/alerts/stream', {
        headers: api.headers({ accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }),
        cache: 'no-store',
        signal,
      });
      if (response.status === 401) {
        api.unauthorized();
        return;
      }
      if (response.status === 400 && lastEventId) lastEventId = undefined; // a number the server no longer knows
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      onStatus('live');
      if (!lastEventId) onMessage({ kind: 'resync' });
      attempt = 0;
      const parser = new SseParser();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const sse of parser.push(value)) {
          if (sse.id) lastEventId = sse.id;
          const event = sse.event === 'alert' ? parseEvent(sse.data) : null;
          if (event) onMessage({ kind: 'event', event });
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    attempt += 1;
    onStatus('reconnecting');
    await delay(RECONNECT_DELAYS_MS[Math.min(attempt - 1, RECONNECT_DELAYS_MS.length - 1)] ?? 10_000, signal);
  }
}
