import { Topics } from '@rpm/contracts';
import type { BatchingProducer } from '@rpm/kafka';
import { anAlertRaised } from '@rpm/testing';
import { now, type Ledger } from './ledger';

/**
 * The scheduler's tick: it wakes at most this long after a record falls due. Records that fell
 * due meanwhile go out together; their latency still counts from their scheduled time.
 */
const TICK_MS = 2;

/**
 * Open loop: every record goes out at its scheduled time whatever happened to the ones before
 * (no waiting for acks, so a slow broker or consumer shows as latency instead of a lower rate).
 * Resolves when every record is acknowledged or has failed.
 */
export async function publishOnSchedule(producer: BatchingProducer, ledger: Ledger): Promise<void> {
  const acks: Promise<void>[] = [];
  for (const alert of ledger.alerts) {
    for (let wait = alert.scheduledAt - now(); wait > 0; wait = alert.scheduledAt - now()) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, TICK_MS)));
    }
    const record = anAlertRaised({ patientId: alert.patientId, ruleId: alert.ruleId, alertKey: alert.alertKey });
    alert.sentAt = now();
    acks.push(
      producer.publish(Topics.alerts, [{ key: alert.patientId, value: record }]).then(
        () => {
          alert.ackedAt = now();
        },
        () => {
          alert.failed = true;
        },
      ),
    );
  }
  await Promise.all(acks);
}
