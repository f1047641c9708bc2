import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AlertEventV1 } from '@rpm/contracts';
import { gauge, JsonLogger, PeriodicTask } from '@rpm/service-kit';
import { CARE_API_CONFIG, type CareApiConfig } from '../config/care-api.config';
import { ALERT_STREAM_CHANNEL } from '../messaging/alert-event-outbox';
import { CommitWakeup } from './commit-wakeup';

/**
 * The stream is read when a commit notifies it (docs/performance.md: p50 ~150 ms -> tens of ms);
 * the poll is the fallback for a missed notification or a lost listen connection.
 */
const POLL_MS = 250;
const BATCH = 500;
const RETENTION_DAYS = 7;

const screens = gauge('rpm_worklist_connected_screens', 'Screens following the alert stream (server-sent events)');

export interface StreamedEvent {
  readonly id: string;
  readonly careTeamId: string;
  readonly event: AlertEventV1;
}

interface StreamRow {
  id: string;
  care_team_id: string;
  event: AlertEventV1;
}

type Listener = (event: StreamedEvent) => void;

/**
 * Fans the numbered alert stream out to open screens. Every instance reads the table (the events of
 * every instance, in commit order by number), so a screen connected to any instance sees all of
 * them; `since` replays what a reconnecting screen missed. Scoping by care team is the caller's.
 */
@Injectable()
export class AlertStreamHub implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new JsonLogger('care-api');
  private readonly listeners = new Set<Listener>();
  private lastId: bigint | null = null;
  private readonly poller: PeriodicTask<void>;
  private readonly cleaner: PeriodicTask<void>;
  private readonly wakeup: CommitWakeup;
  /** A notification during a poll: poll once more after it (it may have read before that commit). */
  private wakeQueued = false;
  private waking: Promise<void> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CARE_API_CONFIG) config: CareApiConfig,
  ) {
    this.poller = new PeriodicTask('alert stream poll', POLL_MS, () => this.poll(), this.log);
    this.cleaner = new PeriodicTask('alert stream retention', 3_600_000, () => this.dropOld(), this.log);
    this.wakeup = new CommitWakeup(config.DATABASE_URL, ALERT_STREAM_CHANNEL, () => this.wake(), this.log);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.lastId = BigInt(await this.latestId());
    await this.wakeup.start();
    this.poller.start();
    this.cleaner.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.poller.stop();
    this.cleaner.stop();
    await this.wakeup.stop();
  }

  /** At most one poll in flight and one queued, however many commits notify meanwhile. */
  private wake(): void {
    if (this.waking) {
      this.wakeQueued = true;
      return;
    }
    this.waking = this.poller.runNow().then(() => {
      this.waking = null;
      if (this.wakeQueued) {
        this.wakeQueued = false;
        this.wake();
      }
    });
  }

  /** The number of the newest event: a screen that connects without Last-Event-ID starts after it. */
  async latestId(): Promise<string> {
    const [row] = (await this.db.query(`SELECT coalesce(max(seq), 0)::text AS id FROM alert_stream`)) as { id: string }[];
    return row?.id ?? '0';
  }

  /** Events numbered after `since` (a Last-Event-ID), in number order, at most `limit`. */
  async since(since: string, limit = 1_000): Promise<StreamedEvent[]> {
    const rows = (await this.db.query(`SELECT seq::text AS id, care_team_id, event FROM alert_stream WHERE seq > $1 ORDER BY seq LIMIT $2`, [since, limit])) as StreamRow[];
    return rows.map((r) => ({ id: r.id, careTeamId: r.care_team_id, event: r.event }));
  }

  /**
   * Numbers new events, one sequencer at a time across instances (the advisory lock lasts until its
   * transaction ends, so rounds never overlap): each round numbers the rows committed by then, after
   * every number already given. A row whose transaction commits later is numbered in a later round,
   * above every number a screen may have seen, so no screen skips it. No wait on other transactions:
   * an unrelated long one anywhere in the cluster (a report, a migration) holds nothing back.
   */
  private async sequence(): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [lock] = (await tx.query(`SELECT pg_try_advisory_xact_lock(hashtext('alert_stream_sequencer')) AS locked`)) as { locked: boolean }[];
      if (!lock?.locked) return;
      await tx.query(`
        WITH base AS (SELECT coalesce(max(seq), 0) AS s FROM alert_stream),
             pending AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM alert_stream WHERE seq IS NULL ORDER BY id LIMIT 1000)
        UPDATE alert_stream a SET seq = base.s + pending.n FROM base, pending WHERE a.id = pending.id`);
    });
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    screens.set(this.listeners.size);
    return () => {
      this.listeners.delete(listener);
      screens.set(this.listeners.size);
    };
  }

  private async poll(): Promise<void> {
    if (this.lastId === null) return;
    await this.sequence();
    for (;;) {
      const events = await this.since(this.lastId.toString(), BATCH);
      for (const e of events) {
        this.lastId = BigInt(e.id);
        for (const listener of this.listeners) listener(e);
      }
      if (events.length < BATCH) return;
    }
  }

  private async dropOld(): Promise<void> {
    // The newest numbered row always stays: numbers continue from it (max + n), never restart below what screens have seen.
    await this.db.query(
      `DELETE FROM alert_stream WHERE created_at < now() - make_interval(days => $1) AND seq < (SELECT max(seq) FROM alert_stream)`,
      [RETENTION_DAYS],
    );
  }
}
