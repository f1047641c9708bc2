import type { Kafka, Producer } from 'kafkajs';
import type { z } from 'zod';
import type { TopicDefinition } from '@rpm/contracts';
import { counter } from '@rpm/service-kit';
import { KeyedPartitioner } from './partitioner';
import { RecordSchemaError, schemaIssues } from './write-errors';

const requests = counter('rpm_kafka_produce_requests_total', 'Produce requests of BatchingProducer, by outcome (failed: kafkajs gave up; a shared request is then resent call by call)', ['outcome']);

export interface OutgoingRecord<T> {
  readonly key: string;
  /** null is a tombstone (compacted topics). */
  readonly value: T | null;
}

interface Pending {
  readonly topic: string;
  readonly messages: { key: string; value: string | null }[];
  /** Keys and values, near enough to the bytes on the wire for the request cap. */
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface ProducerOptions {
  /** How long a record may wait for others to share its request. */
  readonly lingerMs?: number;
  /** Flush as soon as this many records are waiting; no request carries more. */
  readonly maxBatchRecords?: number;
  /**
   * No request carries more bytes of keys and values than this (unless one call alone does):
   * Kafka refuses a partition's record batch over message.max.bytes (1 MiB): a request of
   * everything queued under load was refused, and then resent call by call (npm run bench, issue 8).
   */
  readonly maxRequestBytes?: number;
}

/**
 * An idempotent, acks=all producer that groups concurrent sends into one request.
 * `publish` resolves only after Kafka acknowledged every record of the call: callers
 * (the ingest gateway) acknowledge upstream only then. Records are validated against
 * the topic's schema before they leave, so no consumer ever sees a malformed record.
 */
export class BatchingProducer {
  private producer: Producer;
  private queue: Pending[] = [];
  private queuedRecords = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushWaiting = false;
  private inFlight: Promise<void> = Promise.resolve();
  private connected = false;
  private readonly lingerMs: number;
  private readonly maxBatchRecords: number;
  private readonly maxRequestBytes: number;

  constructor(
    private readonly kafka: Kafka,
    options: ProducerOptions = {},
  ) {
    this.producer = this.newProducer();
    this.lingerMs = options.lingerMs ?? 2;
    this.maxBatchRecords = options.maxBatchRecords ?? 1000;
    this.maxRequestBytes = options.maxRequestBytes ?? 512 * 1024;
  }

  private newProducer(): Producer {
    // maxInFlightRequests 1 keeps per-partition order under retries together with idempotence.
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: KeyedPartitioner,
      // Idempotence holds only within kafkajs' own retries: let them run for as long as it takes.
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 5_000 },
    });
  }

  /**
   * A request kafkajs gave up on rolls back the sequence numbers of every partition in it, also of
   * those the broker wrote: the next, different records there would reuse them, and the broker takes
   * such a batch for a duplicate (acknowledged, not written) or refuses it as out of order, forever.
   * A new producer gets a new producer id, and its sequences start afresh.
   */
  private async renewProducer(): Promise<void> {
    const old = this.producer;
    this.producer = this.newProducer();
    await old.disconnect().catch(() => undefined);
    await this.producer.connect();
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  async publish<S extends z.ZodTypeAny>(topic: TopicDefinition<S>, records: readonly OutgoingRecord<z.infer<S>>[]): Promise<void> {
    if (records.length === 0) return;
    const messages = records.map((r) => {
      if (r.value === null) return { key: r.key, value: null };
      const parsed = topic.schema.safeParse(r.value);
      if (!parsed.success) throw new RecordSchemaError(topic.name, schemaIssues(parsed.error));
      return { key: r.key, value: JSON.stringify(parsed.data) };
    });
    const bytes = messages.reduce((sum, m) => sum + m.key.length + (m.value?.length ?? 0), 0);
    await new Promise<void>((resolve, reject) => {
      this.queue.push({ topic: topic.name, messages, bytes, resolve, reject });
      this.queuedRecords += messages.length;
      if (this.queuedRecords >= this.maxBatchRecords) this.flushSoon(0);
      else this.flushSoon(this.lingerMs);
    });
  }

  private flushSoon(delayMs: number): void {
    // A flush already waits behind the request in flight: it takes what is queued when it runs.
    if (this.flushWaiting) return;
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushWaiting = true;
      this.inFlight = this.inFlight.then(() => {
        this.flushWaiting = false;
        return this.flush();
      });
    }, delayMs);
  }

  private async flush(): Promise<void> {
    const batch = this.takeRequest();
    // What did not fit goes in the next request, as soon as this one is acknowledged.
    if (this.queue.length > 0) this.flushSoon(0);
    if (batch.length === 0) return;
    try {
      await this.send(batch);
      batch.forEach((p) => p.resolve());
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One caller's bad record (too big, say) must not fail the callers that shared its request.
      for (const pending of batch) {
        await this.send([pending]).then(pending.resolve, pending.reject);
      }
    }
  }

  /** The oldest queued calls, whole, within maxBatchRecords and maxRequestBytes (at least one call). */
  private takeRequest(): Pending[] {
    let count = 0;
    let records = 0;
    let bytes = 0;
    for (const pending of this.queue) {
      const fits = records + pending.messages.length <= this.maxBatchRecords && bytes + pending.bytes <= this.maxRequestBytes;
      if (count > 0 && !fits) break;
      count++;
      records += pending.messages.length;
      bytes += pending.bytes;
    }
    this.queuedRecords -= records;
    return this.queue.splice(0, count);
  }

  private async send(batch: readonly Pending[]): Promise<void> {
    const byTopic = new Map<string, { key: string; value: string | null }[]>();
    for (const pending of batch) {
      const list = byTopic.get(pending.topic) ?? [];
      list.push(...pending.messages);
      byTopic.set(pending.topic, list);
    }
    try {
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (error) {
      requests.inc({ outcome: 'failed' });
      // Not connected afterwards (Kafka away): the next send fails, and renews again.
      await this.renewProducer().catch(() => undefined);
      throw error;
    }
    requests.inc({ outcome: 'acknowledged' });
  }

  /** Sends what is queued, then disconnects. */
  async disconnect(): Promise<void> {
    await this.inFlight;
    // Over as many requests as the caps make it.
    while (this.queue.length > 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.inFlight = this.inFlight.then(() => this.flush());
      await this.inFlight;
    }
    await this.producer.disconnect();
    this.connected = false;
  }
}

/**
 * Writes records as given, without a schema check: for operator tools (replaying raw
 * bytes) and for tests that must put a malformed record on a topic. Services publish
 * through BatchingProducer.
 */
export async function sendRawRecords(kafka: Kafka, topic: string, records: readonly { key: string; value: string | Buffer }[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: KeyedPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: records.map((r) => ({ key: r.key, value: r.value })) });
  } finally {
    await producer.disconnect();
  }
}
