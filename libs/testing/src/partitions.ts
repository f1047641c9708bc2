import type { Kafka } from 'kafkajs';
import { KeyedPartitioner } from '@rpm/kafka';

/**
 * The partition the producers of this repository (KeyedPartitioner: Kafka's murmur2, as kafkajs
 * and the Java client) choose for a key on a topic with `partitionCount` partitions.
 */
export function partitionOfKey(key: string, partitionCount: number): number {
  const partitionMetadata = Array.from({ length: partitionCount }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));
  return KeyedPartitioner()({ topic: 'any', partitionMetadata, message: { key, value: null } });
}

export async function partitionCountOf(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).length;
  } finally {
    await admin.disconnect();
  }
}

/** A fresh key (from `make`) that lands on the same partition as `anchor`: for tests of in-partition order. */
export function keyOnSamePartitionAs(anchor: string, partitionCount: number, make: () => string): string {
  const target = partitionOfKey(anchor, partitionCount);
  for (;;) {
    const key = make();
    if (key !== anchor && partitionOfKey(key, partitionCount) === target) return key;
  }
}
