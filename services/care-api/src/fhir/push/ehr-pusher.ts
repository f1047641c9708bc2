import { Inject, Injectable } from '@nestjs/common';
import type { EhrPushDeadLetterV1, EhrPushDlqReason } from '@rpm/contracts';
import { counter, histogram, JsonLogger } from '@rpm/service-kit';
import { CARE_API_CONFIG, type CareApiConfig } from '../../config/care-api.config';
import { EventPublisher } from '../../messaging/event.publisher';
import { FHIR_JSON } from '../fhir-types';
import { ForeignRecordError } from './ehr-push-sources';
import { classifyResponse, retryDelayMs, type BackoffSettings, type TryOutcome } from './push-policy';
import type { TransactionBundle } from './transaction-bundle';

export type PushSource = 'alert_event' | 'observation';

const bundles = counter('rpm_ehr_push_bundles_total', 'Records the EHR push finished with, by outcome (pushed, dead_lettered, skipped: not this deployment\'s)', ['source', 'outcome']);
const retries = counter('rpm_ehr_push_retries_total', 'Failed tries of a Bundle that were tried again, by cause', ['source', 'cause']);
const deadLetters = counter('rpm_ehr_push_dead_letters_total', 'Bundles given up on and written to rpm.ehr-push.dlq.v1, by reason', ['source', 'reason']);
const duration = histogram(
  'rpm_ehr_push_duration_seconds',
  'From the first try of a Bundle to its push or dead letter, backoff included',
  [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  ['source', 'outcome'],
);

/** One Bundle to deliver: how to build it (again on each try: the state may have caught up), and what a dead letter names. */
export interface PushJob {
  readonly source: PushSource;
  readonly build: () => Promise<TransactionBundle>;
  readonly patientId: string;
  readonly subject: EhrPushDeadLetterV1['subject'];
  readonly record: { readonly topic: string; readonly partition: number; readonly offset: string; readonly value: unknown };
  /** Kafka's heartbeat, called while waiting between tries. */
  readonly heartbeat: () => Promise<void>;
}

const HEARTBEAT_EVERY_MS = 3_000;
const DETAIL_MAX = 300;

/** The push is stopping: the batch is left uncommitted and delivered again after the restart. */
export class PushStoppedError extends Error {}

/**
 * Delivers transaction Bundles to the EHR's FHIR base URL (docs/adr/0012-ehr-push.md): tries with
 * jittered exponential backoff on 5xx, 408, 429 (Retry-After honoured), timeouts and network errors, up to
 * EHR_PUSH_MAX_ATTEMPTS; then, or at once on any other 4xx, a dead letter on rpm.ehr-push.dlq.v1. It
 * resolves only once the Bundle is pushed or its dead letter acknowledged by Kafka, so the caller's
 * offset commit never loses a record. Logs carry ids only.
 */
@Injectable()
export class EhrPusher {
  private readonly log = new JsonLogger('care-api');
  private readonly backoff: BackoffSettings;
  private stopping = false;
  private readonly wakeups = new Set<() => void>();

  constructor(
    @Inject(CARE_API_CONFIG) private readonly config: CareApiConfig,
    private readonly publisher: EventPublisher,
  ) {
    this.backoff = { baseMs: config.EHR_PUSH_BACKOFF_BASE_MS, maxMs: config.EHR_PUSH_BACKOFF_MAX_MS, retryAfterMaxMs: config.EHR_PUSH_RETRY_AFTER_MAX_MS };
  }

  /** Ends any wait between tries; called before the consumers stop (their in-flight batch ends uncommitted). */
  stop(): void {
    this.stopping = true;
    for (const wake of this.wakeups) wake();
  }

  async deliver(job: PushJob): Promise<'pushed' | 'dead_lettered' | 'skipped'> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    const max = this.config.EHR_PUSH_MAX_ATTEMPTS;
    for (let attempt = 1; ; attempt++) {
      if (this.stopping) throw new PushStoppedError('the EHR push is stopping');
      const outcome = await this.tryOnce(job);
      if (outcome === 'foreign') {
        bundles.inc({ source: job.source, outcome: 'skipped' });
        this.log.warn('ehr push skipped a record of an alert or patient this care-api does not know', { patientId: job.patientId, subject: job.subject.id });
        return 'skipped';
      }
      if (outcome.kind === 'pushed') {
        bundles.inc({ source: job.source, outcome: 'pushed' });
        duration.observe({ source: job.source, outcome: 'pushed' }, seconds());
        if (attempt > 1) this.log.info('ehr push succeeded after retries', { patientId: job.patientId, subject: job.subject.id, attempts: attempt });
        return 'pushed';
      }
      const last = outcome.kind === 'reject' || attempt >= max;
      this.log.warn('ehr push try failed', {
        patientId: job.patientId,
        subject: job.subject.id,
        attempt,
        status: outcome.status,
        cause: outcome.kind === 'reject' ? 'rejected' : outcome.cause,
        final: last,
      });
      if (last) {
        const reason: EhrPushDlqReason = outcome.kind === 'reject' ? 'rejected' : outcome.cause === 'source_unavailable' ? 'source_unavailable' : 'retries_exhausted';
        await this.deadLetter(job, reason, outcome, attempt);
        bundles.inc({ source: job.source, outcome: 'dead_lettered' });
        duration.observe({ source: job.source, outcome: 'dead_lettered' }, seconds());
        return 'dead_lettered';
      }
      retries.inc({ source: job.source, cause: outcome.cause });
      await this.wait(retryDelayMs(attempt, outcome.retryAfterMs, this.backoff), job.heartbeat);
    }
  }

  private async tryOnce(job: PushJob): Promise<TryOutcome | 'foreign'> {
    let bundle: TransactionBundle;
    try {
      bundle = await job.build();
    } catch (error) {
      if (error instanceof ForeignRecordError) return 'foreign';
      return { kind: 'retry', status: null, cause: 'source_unavailable', detail: (error as Error).message.slice(0, DETAIL_MAX), retryAfterMs: null };
    }
    const timeoutMs = this.config.EHR_PUSH_TIMEOUT_MS;
    try {
      const response = await fetch(this.config.EHR_FHIR_BASE_URL!, {
        method: 'POST',
        headers: {
          'content-type': `${FHIR_JSON}; charset=utf-8`,
          accept: FHIR_JSON,
          ...(this.config.EHR_FHIR_BEARER_TOKEN ? { authorization: `Bearer ${this.config.EHR_FHIR_BEARER_TOKEN}` } : {}),
        },
        body: JSON.stringify(bundle),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await response.text();
      return classifyResponse(response.status, response.headers.get('retry-after'), body, Date.now());
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'retry', status: null, cause: 'timeout', detail: `timeout after ${timeoutMs} ms`, retryAfterMs: null };
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { kind: 'retry', status: null, cause: 'network', detail: `network error${cause ? ` ${cause}` : ''}`, retryAfterMs: null };
    }
  }

  /** Sleeps `ms`, sending Kafka heartbeats meanwhile; a shutdown ends the wait (and the batch, uncommitted). */
  private async wait(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (this.stopping) throw new PushStoppedError('the EHR push is stopping');
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.wakeups.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(HEARTBEAT_EVERY_MS, until - Date.now()));
        this.wakeups.add(wake);
      });
      await heartbeat();
    }
  }

  private async deadLetter(job: PushJob, reason: EhrPushDlqReason, outcome: Exclude<TryOutcome, { kind: 'pushed' }>, attempts: number): Promise<void> {
    await this.publisher.publishEhrPushDeadLetter({
      schema: 'rpm.ehr-push-dlq.v1',
      reason,
      detail: outcome.detail,
      lastStatus: outcome.status,
      attempts,
      patientId: job.patientId,
      subject: job.subject,
      source: { topic: job.record.topic, partition: job.record.partition, offset: job.record.offset },
      record: job.record.value,
      failedAt: new Date().toISOString(),
    });
    deadLetters.inc({ source: job.source, reason });
    this.log.error('ehr push dead-lettered', { patientId: job.patientId, subject: job.subject.id, reason, attempts, status: outcome.status });
  }
}
