import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AlertEventV1 } from '@rpm/contracts';
import { counter, gauge, JsonLogger } from '@rpm/service-kit';
import { EventPublisher } from './event.publisher';

/** How often the relay looks for events it was not told about (another instance's, or after a crash). */
const POLL_INTERVAL_MS = 500;
/** Events per relay round: one Kafka request, one DELETE. */
const BATCH_SIZE = 500;

/** Notified in the transaction that writes stream rows; AlertStreamHub listens on it. */
export const ALERT_STREAM_CHANNEL = 'alert_stream';

const published = counter('rpm_worklist_alert_events_published_total', 'Alert events relayed from the outbox to Kafka');
const pending = gauge('rpm_worklist_alert_event_outbox_pending', 'Alert events waiting in the outbox');

/**
 * rpm.alert-events.v1 through a transactional outbox: `add` writes events in the caller's
 * transaction, so an alert change and its event commit or roll back together; the relay
 * publishes them (at least once; eventIds are deterministic) and deletes them after the ack.
 */
@Injectable()
export class AlertEventOutbox implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new JsonLogger('care-api');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventPublisher,
  ) {}

  async add(tx: EntityManager, events: readonly AlertEventV1[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((e) => JSON.stringify(e));
    await tx.query(`INSERT INTO alert_event_outbox (event) SELECT unnest($1::jsonb[])`, [rows]);
    // The same events, numbered, for open screens (AlertStreamHub), scoped by the patient's care team.
    await tx.query(
      `INSERT INTO alert_stream (patient_id, care_team_id, event)
       SELECT p.id, p.care_team_id, e.event FROM unnest($1::jsonb[]) WITH ORDINALITY AS e(event, n)
         JOIN patients p ON p.id = (e.event->>'patientId')::uuid ORDER BY e.n`,
      [rows],
    );
    // Delivered when this transaction commits: every instance's stream hub reads the new rows at once.
    await tx.query(`SELECT pg_notify($1, '')`, [ALERT_STREAM_CHANNEL]);
  }

  /** Asks the relay to run now (after a commit), instead of at its next poll. */
  kick(): void {
    if (!this.stopped) this.running = this.running.then(() => this.relay());
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), POLL_INTERVAL_MS);
    this.kick();
  }

  /** Relays until the outbox is empty; several instances share the work (SKIP LOCKED). */
  private async relay(): Promise<void> {
    try {
      for (;;) {
        const relayed = await this.db.transaction(async (tx) => {
          const rows = (await tx.query(
            `SELECT id, event FROM alert_event_outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
            [BATCH_SIZE],
          )) as { id: string; event: unknown }[];
          if (rows.length === 0) return 0;
          await this.events.publishAlertEvents(rows.map((r) => AlertEventV1.parse(r.event)));
          await tx.query(`DELETE FROM alert_event_outbox WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
          return rows.length;
        });
        published.inc(relayed);
        if (relayed < BATCH_SIZE) break;
      }
      const [row] = (await this.db.query(`SELECT count(*)::int AS n FROM alert_event_outbox`)) as { n: number }[];
      pending.set(row?.n ?? 0);
    } catch (error) {
      // The events stay in the outbox; the next round retries them.
      this.log.warn('alert event relay failed; retrying', { error: error instanceof Error ? error.message : 'unknown' });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.running = this.running.then(() => this.relay());
    this.stopped = true;
    await this.running;
  }
}
