import type { Kafka } from 'kafkajs';

/** Readiness probe: the cluster answers a metadata request. */
export async function kafkaReachable(kafka: Kafka, timeoutMs = 2_000): Promise<boolean> {
  const admin = kafka.admin();
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs));
  const probe = (async () => {
    try {
      await admin.connect();
      await admin.describeCluster();
      return true;
    } catch {
      return false;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  })();
  return Promise.race([probe, timeout]);
}
