import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { z } from 'zod';
import type { TopicDefinition } from '@rpm/contracts';
import type { KafkaLogSink } from './client';

/**
 * A local, always-current copy of a compacted topic (the device registry, patient
 * protocols): every instance reads the whole topic from the beginning and keeps the
 * latest value per key. No offsets are committed: each start rebuilds the table.
 */
export class CompactedTable<S extends z.ZodTypeAny> {
  private readonly rows = new Map<string, z.infer<S>>();
  private readonly partitions = new Map<string, number>();
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private readonly consumed = new Map<number, bigint>();
  private caughtUp = false;
  private readonly groupId: string;

  /**
   * `supersedes(incoming, current)`: whether a record replaces the row held for its key. By default
   * the later record wins; a table of states can keep the newer state when a writer that lost its
   * partitions writes an older one late.
   */
  constructor(
    kafka: Kafka,
    private readonly topic: TopicDefinition<S>,
    groupPrefix: string,
    private readonly log: KafkaLogSink,
    private readonly supersedes: (incoming: z.infer<S>, current: z.infer<S>) => boolean = () => true,
  ) {
    // A private group per instance: every instance must see every partition.
    this.groupId = `${groupPrefix}-table-${randomUUID()}`;
    this.consumer = kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 100 });
    this.admin = kafka.admin();
  }

  get(key: string): z.infer<S> | undefined {
    return this.rows.get(key);
  }

  /** The partition the key's latest record was read from. */
  partitionOf(key: string): number | undefined {
    return this.partitions.get(key);
  }

  keys(): IterableIterator<string> {
    return this.rows.keys();
  }

  get size(): number {
    return this.rows.size;
  }

  get isCaughtUp(): boolean {
    return this.caughtUp;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    await this.admin.connect();
    const ends = await this.admin.fetchTopicOffsets(this.topic.name);
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic.name, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const key = message.key?.toString('utf8');
        this.consumed.set(partition, BigInt(message.offset) + 1n);
        if (!key) return;
        this.partitions.set(key, partition);
        if (message.value === null) {
          this.rows.delete(key);
          this.partitions.delete(key);
          return;
        }
        let json: unknown;
        try {
          json = JSON.parse(message.value.toString('utf8'));
        } catch {
          json = undefined;
        }
        const parsed = this.topic.schema.safeParse(json);
        if (!parsed.success) {
          this.log.error('skipping a table record that fails its schema', { topic: this.topic.name, partition, offset: message.offset });
          return;
        }
        const current = this.rows.get(key);
        if (current !== undefined && !this.supersedes(parsed.data, current)) return;
        this.rows.set(key, parsed.data);
      },
    });
    // Ready only once everything that existed at start has been read.
    const deadline = Date.now() + timeoutMs;
    const targets = ends.map((e) => ({ partition: e.partition, end: BigInt(e.high) }));
    while (!targets.every((t) => t.end === 0n || (this.consumed.get(t.partition) ?? 0n) >= t.end)) {
      if (Date.now() > deadline) throw new Error(`timed out reading ${this.topic.name} to its end`);
      await new Promise((r) => setTimeout(r, 20));
    }
    this.caughtUp = true;
  }

  /**
   * Waits until everything written to the topic before this call has been applied, so a
   * lookup right after another service's write (a device registered a moment ago) sees it.
   * False when the table could not catch up in time.
   */
  async waitForLatest(timeoutMs = 2_000): Promise<boolean> {
    const ends = await this.admin.fetchTopicOffsets(this.topic.name);
    const deadline = Date.now() + timeoutMs;
    while (!ends.every((e) => BigInt(e.high) === 0n || (this.consumed.get(e.partition) ?? 0n) >= BigInt(e.high))) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 10));
    }
    return true;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    // The private group is never reused: remove it rather than leave it to expire.
    await this.admin.deleteGroups([this.groupId]).catch(() => undefined);
    await this.admin.disconnect();
  }
}
