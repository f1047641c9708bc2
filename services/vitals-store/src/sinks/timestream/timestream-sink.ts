import { WriteRecordsCommand, type RejectedRecord, type TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import type { ObservationV1 } from '@rpm/contracts';
import { JsonLogger } from '@rpm/service-kit';
import type { TimestreamSettings } from '../../config/vitals-store.config';
import { retryWithBackoff, sleep, type RetryEnvironment, type RetryPolicy } from '../bounded-retry';
import type { SinkDeadLetter, SinkDeadLetters } from '../sink-dead-letters';
import { sinkMetrics } from '../sink.metrics';
import type { SinkWriteResult, TimeSeriesSink } from '../time-series-sink';
import { MAX_RECORDS_PER_WRITE, chunksOf, toWriteRecordsRequest } from './timestream-records';

const SINK = 'timestream';

/** No single wait between attempts is longer. */
const MAX_BACKOFF_MS = 5_000;

/**
 * A batch stops retrying once it has spent this long: the consumer heartbeats while its handler
 * runs, but only for so long (MAX_HANDLER_MS in libs/kafka consumer.ts), and the primary write
 * waits meanwhile. What is left is dead-lettered, not waited for (ADR 0010).
 */
export const BATCH_TIME_BUDGET_MS = 20_000;

/** Errors that say "not now" rather than "not this": throttling, the service's own faults. */
const RETRYABLE_ERRORS = new Set(['ThrottlingException', 'InternalServerException']);

interface AwsErrorShape {
  readonly name?: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly RejectedRecords?: RejectedRecord[];
}

const asAwsError = (error: unknown): AwsErrorShape => (typeof error === 'object' && error !== null ? (error as AwsErrorShape) : {});
const errorName = (error: unknown): string => asAwsError(error).name ?? 'Error';

/**
 * Throttling, 5xx and failures with no answer from the service at all (a connection reset, a
 * timeout) are retried. An answer that says the request is wrong (ValidationException,
 * AccessDeniedException, ResourceNotFoundException, RejectedRecordsException) is final.
 */
export function isRetryableTimestreamError(error: unknown): boolean {
  const e = asAwsError(error);
  if (e.name && RETRYABLE_ERRORS.has(e.name)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  return e.$fault === undefined && status === undefined;
}

/** Seams for tests: no real waiting, no dice, a clock that moves on demand. */
export interface TimestreamSinkClock {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly now: () => number;
}

interface ChunkOutcome {
  readonly written: number;
  readonly deadLetters: SinkDeadLetter[];
  /** Retries ran out: the sink is struggling, so the rest of the batch is not attempted. */
  readonly unavailable: boolean;
}

/**
 * Secondary sink: Amazon Timestream for LiveAnalytics (docs/timestream.md). Writes one
 * multi-measure record per observation, 100 records per request, retries transient errors with
 * bounded backoff, and dead-letters what it cannot write, so a slow or failing Timestream never
 * holds the pipeline back (PostgreSQL already has the batch).
 */
export class TimestreamSink implements TimeSeriesSink {
  readonly name = SINK;
  private readonly log = new JsonLogger('vitals-store');
  private readonly policy: RetryPolicy;

  constructor(
    private readonly client: TimestreamWriteClient,
    private readonly settings: TimestreamSettings,
    private readonly deadLetters: SinkDeadLetters,
    private readonly clock: TimestreamSinkClock = { sleep, random: Math.random, now: Date.now },
  ) {
    this.policy = { maxAttempts: settings.maxAttempts, baseDelayMs: settings.backoffBaseMs, maxDelayMs: MAX_BACKOFF_MS };
  }

  async write(observations: readonly ObservationV1[]): Promise<SinkWriteResult> {
    if (observations.length === 0) return { written: 0, duplicates: 0, deadLettered: 0 };
    const stopTimer = sinkMetrics.writeSeconds.startTimer({ sink: SINK });
    const deadline = this.clock.now() + BATCH_TIME_BUDGET_MS;
    let written = 0;
    const deadLetters: SinkDeadLetter[] = [];
    let giveUp: string | null = null;
    for (const chunk of chunksOf(observations, MAX_RECORDS_PER_WRITE)) {
      if (giveUp === null && this.clock.now() >= deadline) giveUp = 'timestream: not attempted, the batch spent its time budget';
      if (giveUp !== null) {
        const detail = giveUp;
        deadLetters.push(...chunk.map((observation): SinkDeadLetter => ({ observation, reason: 'sink_write_failed', detail })));
        continue;
      }
      const outcome = await this.writeChunk(chunk, deadline);
      written += outcome.written;
      deadLetters.push(...outcome.deadLetters);
      if (outcome.unavailable) giveUp = 'timestream: not attempted, an earlier request of this batch ran out of retries';
    }
    // Durable in the dead-letter topic before the batch may be committed; a throw here redelivers it.
    await this.deadLetters.publish(deadLetters);
    stopTimer();
    sinkMetrics.written.inc({ sink: SINK }, written);
    for (const d of deadLetters) sinkMetrics.deadLettered.inc({ sink: SINK, reason: d.reason });
    if (deadLetters.length > 0) {
      this.log.warn('timestream records dead-lettered', {
        records: observations.length,
        written,
        deadLettered: deadLetters.length,
        // Ids only (device/message/type), and only the first few: enough to find them in the dead-letter topic.
        observationIds: deadLetters.slice(0, 20).map((d) => d.observation.observationId),
      });
    }
    return { written, duplicates: 0, deadLettered: deadLetters.length };
  }

  private async writeChunk(chunk: readonly ObservationV1[], deadline: number): Promise<ChunkOutcome> {
    const request = toWriteRecordsRequest(this.settings.database, this.settings.table, chunk);
    const env: RetryEnvironment = {
      ...this.clock,
      deadline,
      isRetryable: isRetryableTimestreamError,
      onRetry: (error, attempt, delayMs) => {
        sinkMetrics.retries.inc({ sink: SINK, error: errorName(error) });
        this.log.warn('timestream write failed; retrying', { error: errorName(error), attempt, delayMs, records: chunk.length });
      },
    };
    // A fresh command per attempt: middleware may annotate the one it sent.
    const outcome = await retryWithBackoff(() => this.client.send(new WriteRecordsCommand(request)), this.policy, env);
    if (outcome.ok) return { written: chunk.length, deadLetters: [], unavailable: false };

    const error = asAwsError(outcome.error);
    if (error.name === 'RejectedRecordsException' && error.RejectedRecords?.length) {
      return this.rejectedOutcome(chunk, error.RejectedRecords);
    }
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    const detail = `timestream: ${errorName(outcome.error)} after ${outcome.attempts} attempt(s)${outcome.exhausted ? ', retries exhausted' : ''}: ${message}`;
    this.log.error('timestream write failed; dead-lettering its records', {
      error: errorName(outcome.error),
      attempts: outcome.attempts,
      retriesExhausted: outcome.exhausted,
      records: chunk.length,
    });
    return { written: 0, deadLetters: chunk.map((observation) => ({ observation, reason: 'sink_write_failed', detail })), unavailable: outcome.exhausted };
  }

  /** Timestream wrote every record of the request but these: each goes to the dead-letter topic with its reason. */
  private rejectedOutcome(chunk: readonly ObservationV1[], rejected: readonly RejectedRecord[]): ChunkOutcome {
    const deadLetters = new Map<number, SinkDeadLetter>();
    for (const { RecordIndex: index, Reason: reason, ExistingVersion: existingVersion } of rejected) {
      const observation = index === undefined ? undefined : chunk[index];
      if (index === undefined || !observation) continue;
      const existing = existingVersion === undefined ? '' : ` (existing version ${existingVersion})`;
      deadLetters.set(index, { observation, reason: 'sink_rejected', detail: `timestream: ${reason ?? 'rejected'}${existing}` });
    }
    if (deadLetters.size === 0) {
      // Rejections we cannot place: we cannot tell what was written, so the whole request is dead-lettered (a replay is harmless).
      const detail = 'timestream: RejectedRecordsException without usable record indexes';
      return { written: 0, deadLetters: chunk.map((observation) => ({ observation, reason: 'sink_rejected', detail })), unavailable: false };
    }
    return { written: chunk.length - deadLetters.size, deadLetters: [...deadLetters.values()], unavailable: false };
  }
}
