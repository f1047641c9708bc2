import type { StoreReader } from './accounting';
import type { FleetDevice } from './fleet';
import { sleep } from './private-stack';

/** An out-of-range reading published during an outage, and when its alert showed in the worklist tables. */
export interface Sentinel {
  device: FleetDevice;
  messageId: string;
  publishedAt: number;
  visibleAt: number | null;
}

export const sentinelObservationId = (s: Sentinel): string => `${s.device.registration.deviceId}/${s.messageId}/blood_pressure`;

/**
 * Polls for the sentinels' alerts from the fault on, beside the repair, so an alert is timed when
 * it shows and not when a restarted service reports ready (a killed consumer's restart waits for
 * Kafka to drop the dead group member first). Ends once every sentinel is seen, or on `stop`.
 */
export function watchSentinels(store: StoreReader, sentinels: readonly Sentinel[], intervalMs = 250): { stop: () => void } {
  let stopped = false;
  void (async () => {
    while (!stopped && sentinels.some((s) => s.visibleAt === null)) {
      const published = sentinels.filter((s) => s.messageId);
      const alerts = await store.alertsByObservation(published.map(sentinelObservationId)).catch(() => null);
      const now = Date.now();
      for (const s of published) if (s.visibleAt === null && alerts?.has(sentinelObservationId(s))) s.visibleAt = now;
      await sleep(intervalMs);
    }
  })();
  return {
    stop: () => {
      stopped = true;
    },
  };
}
