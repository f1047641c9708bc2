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

/**
 * Commits offsets at the current end of `topic` for a group that has none, so that the
 * group, when it starts, reads only what is written from now on (tests on a shared
 * cluster). A group that already committed offsets is left alone.
 */
export async function startGroupAtEnd(kafka: Kafka, groupId: string, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({ groupId, topic, partitions: ends.map((e) => ({ partition: e.partition, offset: e.high })) });
  } finally {
    await admin.disconnect();
  }
}

/** The offset the next record of each partition of `topic` will get. */
export async function topicEndOffsets(kafka: Kafka, topic: string): Promise<{ partition: number; offset: string }[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).map((e) => ({ partition: e.partition, offset: e.high }));
  } finally {
    await admin.disconnect();
  }
}

/** Records of `topic` the group has not committed yet, summed over partitions. */
export async function consumerGroupLag(kafka: Kafka, groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
    const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
    return ends.reduce((lag, e) => {
      const at = done.get(e.partition) ?? -1n;
      const end = BigInt(e.high);
      return lag + Number(at < 0n ? end - BigInt(e.low) : end - at);
    }, 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates a compacted topic with as many partitions as `partitionsLike` unless it exists: a
 * service's changelog (rules state) must partition like the input it mirrors. Idempotent.
 */
export async function ensureChangelogTopic(kafka: Kafka, topic: string, partitionsLike: string): Promise<void> {
  await ensureTopicLike(kafka, topic, partitionsLike, { 'cleanup.policy': 'compact' });
}

/**
 * Creates `topic` with as many partitions as `partitionsLike` and the given configs unless it
 * exists, and returns once its partitions answer. Idempotent.
 */
export async function ensureTopicLike(kafka: Kafka, topic: string, partitionsLike: string, configs: Readonly<Record<string, string>> = {}): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (existing.includes(topic)) return;
    const metadata = await admin.fetchTopicMetadata({ topics: [partitionsLike] });
    const numPartitions = metadata.topics[0]?.partitions.length;
    if (!numPartitions) throw new Error(`cannot size ${topic}: ${partitionsLike} has no partitions`);
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions, replicationFactor: -1, configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })) }],
    });
    // Leaders are elected, but a broker may still answer "not the leader" for a moment: wait until offsets can be read.
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        await admin.fetchTopicOffsets(topic);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** Deletes topics whose names start with `prefix` (a test run's private changelogs). */
export async function deleteTopicsWithPrefix(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}
