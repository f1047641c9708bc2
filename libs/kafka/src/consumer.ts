import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { z } from 'zod';
import type { TopicDefinition } from '@rpm/contracts';
import { counter, gauge } from '@rpm/service-kit';
import type { KafkaLogSink } from './client';
import { schemaIssues } from './write-errors';

/** Records that fail their topic's schema: counted, logged with ids only, and skipped. */
const invalidRecords = counter('rpm_kafka_invalid_records_total', 'Records skipped because they fail their topic schema', ['topic', 'group']);
const crashes = counter('rpm_kafka_consumer_crashes_total', 'Consumer crashes (a batch kept failing); kafkajs restarts the consumer', ['group']);
const lag = gauge(
  'rpm_kafka_consumer_lag',
  'Records behind the partition end: after the last batch this member committed, or from the start of a batch it was handed and has not committed yet (0: caught up)',
  ['topic', 'group', 'partition'],
);

/** A consumer that crashed this recently is reported not ready: its batch keeps failing. */
const CRASH_UNREADY_MS = 60_000;
/**
 * kafkajs workers, more than the partitions of any topic here (topics.tsv): every partition batch
 * of a fetch is in hand at once, and they go in one handler call (one database statement or
 * transaction, one Kafka request) and one commit, instead of one each (docs/performance.md,
 * "One fetch, one handler call").
 */
const PARTITIONS_TOGETHER = 64;

export interface ConsumedRecord<T> {
  readonly key: string | null;
  /** null for a tombstone on a compacted topic. */
  readonly value: T | null;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
}

/** What a batch handler may use while it works: kafkajs sends heartbeats only when asked. */
export interface BatchContext {
  readonly heartbeat: () => Promise<void>;
}

/** One partition's batch of a fetch, waiting to be handled with the others of the same fetch. */
interface PartitionBatch<T> {
  readonly topic: string;
  readonly partition: number;
  readonly lastOffset: string;
  readonly highWatermark: string;
  readonly records: ConsumedRecord<T>[];
  readonly resolveOffset: (offset: string) => void;
  readonly heartbeat: () => Promise<void>;
  readonly done: (error?: unknown) => void;
}

export interface BatchConsumerOptions<S extends z.ZodTypeAny> {
  readonly groupId: string;
  readonly topic: TopicDefinition<S>;
  readonly fromBeginning?: boolean;
  /**
   * The side effect. It must be idempotent and durable when it resolves: offsets are
   * committed only afterwards. A throw makes kafkajs redeliver the batch. A handler that may take
   * longer than the session timeout (retries with backoff) calls `heartbeat` while it waits.
   */
  readonly handleBatch: (records: ConsumedRecord<z.infer<S>>[], context: BatchContext) => Promise<void>;
  /** Called on every (re)join with this member's partitions of the topic, before any batch of them. */
  readonly onAssignment?: (partitions: number[]) => void;
  readonly log: KafkaLogSink;
  /** How long the group waits for a silent member before it takes its partitions (default 10 s). */
  readonly sessionTimeoutMs?: number;
  /** How long a handler may run with heartbeats going out (default 120 s; MAX_HANDLER_MS). */
  readonly maxHandlerMs?: number;
}

const HEARTBEAT_INTERVAL_MS = 1_000;
/**
 * Heartbeats go out while a handler runs for at most this long (default); past it the member goes
 * silent and reports unhealthy, so the group gives its partitions to another instance rather than
 * wait on a hung handler (a lock that never comes) forever. The longest insert seen: 15 s on one
 * starved core with a backlog (npm run bench -- --pin).
 */
const MAX_HANDLER_MS = 120_000;

/** Group membership errors: the member must rejoin (and the batch is delivered again), not crash. */
const REJOIN_ERRORS = new Set(['UNKNOWN_MEMBER_ID', 'REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'NOT_COORDINATOR_FOR_GROUP']);

/**
 * The protocol error under kafkajs' wrappers. kafkajs rejoins on a membership error only when it sees
 * the protocol error itself; wrapped as a KafkaJSNonRetriableError (a refused commit is), it gave the
 * consumer up for good: the vitals-store stopped storing for the rest of a run (npm run bench -- --pin).
 */
function membershipError(error: unknown): Error | null {
  let e = error as { type?: string; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 5; depth++, e = e.cause as typeof e) if (e.type && REJOIN_ERRORS.has(e.type)) return e as Error;
  return null;
}

/** A poison record must not stall its partition: it is reported and committed past. */
function parseRecord<S extends z.ZodTypeAny>(
  topic: TopicDefinition<S>,
  raw: Buffer | null,
): { ok: true; value: z.infer<S> | null } | { ok: false; reason: string } {
  if (raw === null) return { ok: true, value: null };
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const parsed = topic.schema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, reason: schemaIssues(parsed.error) };
  }
  return { ok: true, value: parsed.data };
}

/**
 * A consumer-group member that handles whole batches (every partition's of a fetch together) and
 * commits offset + 1 only after the handler resolved (STYLE.md: commit after the side effect is durable).
 */
export class BatchConsumer<S extends z.ZodTypeAny> {
  private readonly consumer: Consumer;
  private running = false;
  /** Batches of the fetch in hand, handed over by kafkajs' workers. */
  private gathered: PartitionBatch<z.infer<S>>[] = [];
  private lastCrashAt = 0;
  private dead = false;
  /** A handler has run past maxHandlerMs and is running still. */
  private handlerOverdue = false;

  constructor(
    kafka: Kafka,
    private readonly options: BatchConsumerOptions<S>,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      // Small bounded fetches keep batches (and database transactions) modest.
      maxBytesPerPartition: 1024 * 1024,
      maxWaitTimeInMs: 100,
      // A member killed with -9 holds its partitions until this expires: a restarted service (and
      // the alerts behind it) waited 30 s with kafkajs' default (npm run test:faults, issue 8).
      sessionTimeout: options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: HEARTBEAT_INTERVAL_MS,
    });
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      this.lastCrashAt = Date.now();
      this.dead = !event.payload.restart;
      crashes.inc({ group: options.groupId });
      options.log.error('kafka consumer crashed', {
        groupId: options.groupId,
        topic: options.topic.name,
        restart: event.payload.restart,
        error: event.payload.error instanceof Error ? `${event.payload.error.name}: ${event.payload.error.message}` : 'unknown',
      });
    });
  }

  /** Partitions whose lag this member reports. */
  private lagPartitions = new Set<number>();

  private listenForAssignments(): void {
    const onAssignment = this.options.onAssignment;
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
      const assigned = [...(event.payload.memberAssignment[this.options.topic.name] ?? [])];
      // Partitions that moved to another member are that member's to report.
      const labels = (partition: number) => ({ topic: this.options.topic.name, group: this.options.groupId, partition: String(partition) });
      for (const partition of this.lagPartitions) if (!assigned.includes(partition)) lag.remove(labels(partition));
      for (const partition of assigned) if (!this.lagPartitions.has(partition)) lag.set(labels(partition), 0);
      this.lagPartitions = new Set(assigned);
      onAssignment?.(assigned);
    });
  }

  /** Ready: started, not given up by kafkajs, no handler overdue, and no crash in the last minute. */
  get isHealthy(): boolean {
    return this.running && !this.dead && !this.handlerOverdue && Date.now() - this.lastCrashAt > CRASH_UNREADY_MS;
  }

  /** Resolves once the group has assigned this member its partitions. */
  async start(joinTimeoutMs = 30_000): Promise<void> {
    const joined = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.options.groupId} did not join its group in ${joinTimeoutMs} ms`)), joinTimeoutMs);
      const remove = this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
        clearTimeout(timer);
        remove();
        resolve();
      });
    });
    this.listenForAssignments();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic.name, fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: PARTITIONS_TOGETHER,
      eachBatch: (payload) => this.onBatch(payload),
    });
    await joined;
    this.running = true;
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    const records: ConsumedRecord<z.infer<S>>[] = [];
    for (const message of batch.messages) {
      const parsed = parseRecord(this.options.topic, message.value);
      if (!parsed.ok) {
        invalidRecords.inc({ topic: batch.topic, group: this.options.groupId });
        this.options.log.error('skipping a record that fails its topic schema', {
          topic: batch.topic,
          partition: batch.partition,
          offset: message.offset,
          reason: parsed.reason,
        });
        continue;
      }
      records.push({
        key: message.key?.toString('utf8') ?? null,
        value: parsed.value,
        partition: batch.partition,
        offset: message.offset,
        timestamp: message.timestamp,
      });
    }
    const lastOffset = batch.messages[batch.messages.length - 1]!.offset;
    // Until it is committed the batch counts as behind: a partition whose handler keeps failing
    // shows its lag instead of the 0 it was assigned with.
    lag.set(
      { topic: batch.topic, group: this.options.groupId, partition: String(batch.partition) },
      Number(BigInt(batch.highWatermark) - BigInt(batch.messages[0]!.offset)),
    );
    await new Promise<void>((resolve, reject) => {
      this.gathered.push({
        topic: batch.topic,
        partition: batch.partition,
        lastOffset,
        highWatermark: batch.highWatermark,
        records,
        resolveOffset,
        heartbeat,
        done: (error) => (error === undefined ? resolve() : reject(error)),
      });
      // kafkajs hands a fetch's batches to its workers in one turn of the event loop: they are all here by then.
      if (this.gathered.length === 1) setImmediate(() => void this.handleGathered());
    });
    await heartbeat();
  }

  /** The batches of one fetch: one handler call, then one commit of every partition's offset. */
  private async handleGathered(): Promise<void> {
    const batches = this.gathered.splice(0);
    try {
      const records = batches.flatMap((b) => b.records);
      const heartbeat = batches[0]!.heartbeat;
      // kafkajs heartbeats only between batches: a handler slower than the session timeout (a long
      // insert on a starved machine) had the member dropped and its commit refused. A failed beat
      // (a rebalance) is left to the commit to find out.
      const startedAt = Date.now();
      const maxHandlerMs = this.options.maxHandlerMs ?? MAX_HANDLER_MS;
      const beating = setInterval(() => {
        if (Date.now() - startedAt <= maxHandlerMs) return void heartbeat().catch(() => undefined);
        clearInterval(beating);
        this.handlerOverdue = true;
        this.options.log.error('batch handler overdue: heartbeats stopped, the group will move its partitions', {
          groupId: this.options.groupId,
          topic: this.options.topic.name,
          records: records.length,
          maxHandlerMs,
        });
      }, HEARTBEAT_INTERVAL_MS);
      try {
        if (records.length > 0) await this.options.handleBatch(records, { heartbeat });
      } finally {
        clearInterval(beating);
        this.handlerOverdue = false;
      }
      const next = batches.map((b) => ({ ...b, next: BigInt(b.lastOffset) + 1n }));
      for (const b of next) b.resolveOffset(b.lastOffset);
      await this.consumer
        .commitOffsets(next.map((b) => ({ topic: b.topic, partition: b.partition, offset: b.next.toString() })))
        .catch((error: unknown) => {
          throw membershipError(error) ?? error;
        });
      for (const b of next) lag.set({ topic: b.topic, group: this.options.groupId, partition: String(b.partition) }, Number(BigInt(b.highWatermark) - b.next));
    } catch (error) {
      // Every batch of the call fails alike: kafkajs redelivers each.
      for (const b of batches) b.done(error ?? new Error('batch handler failed'));
      return;
    }
    for (const b of batches) b.done();
  }

  /**
   * Finishes the batch in hand, then leaves the group. kafkajs skips the commit of a batch that ends
   * after the stop began: the next member gets it again (handlers are idempotent).
   */
  async stop(): Promise<void> {
    this.running = false;
    await this.consumer.disconnect();
  }
}
