import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DeadLetterListQuery, DeadLetterListResponse, DeadLetterResponse, DlqReason } from '@rpm/contracts';
import { JsonLogger } from '@rpm/service-kit';
import { bindingAt, ingestDeviceMessage } from '@rpm/vitals';
import { DeviceBindings } from '../devices/device-bindings';
import { DeviceEntity } from '../devices/device.entity';
import { EventPublisher } from '../messaging/event.publisher';

interface DeadLetterRow {
  id: string;
  reason: DlqReason;
  detail: string;
  device_id: string | null;
  mqtt_topic: string;
  message_id: string | null;
  reading_index: number | null;
  received_at: Date;
  raw_payload_base64: string;
  raw_payload_bytes: number;
  raw_payload_sha256: string;
  status: 'open' | 'replayed';
  replayed_at: Date | null;
  replayed_by: string | null;
  replay_outcome: DeadLetterResponse['replayOutcome'];
}

/** Written by vitals-store for its secondary sink: replayed into that sink, not into the pipeline. */
const SINK_REASONS: ReadonlySet<DlqReason> = new Set(['sink_rejected', 'sink_write_failed']);

const toResponse = (r: DeadLetterRow): DeadLetterResponse => ({
  id: r.id,
  reason: r.reason,
  detail: r.detail,
  deviceId: r.device_id,
  messageId: r.message_id,
  readingIndex: r.reading_index,
  receivedAt: r.received_at.toISOString(),
  rawPayloadBase64: r.raw_payload_base64,
  rawPayloadBytes: r.raw_payload_bytes,
  rawPayloadSha256: r.raw_payload_sha256,
  status: r.status,
  replayedAt: r.replayed_at?.toISOString() ?? null,
  replayedBy: r.replayed_by,
  replayOutcome: r.replay_outcome,
});

/**
 * Dead-lettered and quarantined readings for operators (issue 7, section 4): listed, and replayed
 * into the pipeline once the cause is fixed (a missing binding added, say). A replay judges the
 * kept payload again with the same library as the gateway (libs/vitals), against the device's
 * binding history as it is now and the original arrival time, and sends on the readings it accepts
 * (those still refused for their content are recorded). Once: the row is locked while it replays and marked replayed; a
 * second replay is a 409. Downstream the readings keep their natural key (device, message, code),
 * so even a replay repeated after a crash stores nothing twice and raises no second alert.
 */
@Injectable()
export class DeadLettersService {
  private readonly log = new JsonLogger('care-api');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly bindings: DeviceBindings,
    private readonly events: EventPublisher,
  ) {}

  async list(q: DeadLetterListQuery): Promise<DeadLetterListResponse> {
    const rows = (await this.db.query(
      `SELECT * FROM dead_letters
        WHERE ($1::text IS NULL OR reason = $1) AND ($2::text IS NULL OR device_id = $2) AND ($3::text IS NULL OR status = $3) AND ($4::bigint IS NULL OR id < $4)
        ORDER BY id DESC LIMIT $5`,
      [q.reason ?? null, q.deviceId ?? null, q.status ?? null, q.before ?? null, q.limit + 1],
    )) as DeadLetterRow[];
    const page = rows.slice(0, q.limit);
    return { items: page.map(toResponse), nextBefore: rows.length > q.limit ? (page[page.length - 1]?.id ?? null) : null };
  }

  async get(id: string): Promise<DeadLetterResponse> {
    const [row] = (await this.db.query(`SELECT * FROM dead_letters WHERE id = $1`, [id])) as DeadLetterRow[];
    if (!row) throw new NotFoundException(`no dead letter ${id}`);
    return toResponse(row);
  }

  async replay(id: string, actor: string): Promise<DeadLetterResponse> {
    return this.db.transaction(async (tx) => {
      const [row] = (await tx.query(`SELECT * FROM dead_letters WHERE id = $1 FOR UPDATE`, [id])) as DeadLetterRow[];
      if (!row) throw new NotFoundException(`no dead letter ${id}`);
      if (row.status === 'replayed') throw new ConflictException(`dead letter ${id} was replayed at ${row.replayed_at?.toISOString()}`);
      if (SINK_REASONS.has(row.reason)) throw new ConflictException(`${row.reason}: the reading is stored; it is replayed into its secondary sink, not the pipeline`);
      if (row.reading_index !== null) throw new ConflictException(`one reading was rejected for its content (${row.reason}): a replay would judge it the same`);
      const payload = Buffer.from(row.raw_payload_base64, 'base64');
      if (payload.length < row.raw_payload_bytes) throw new ConflictException(`only ${payload.length} of ${row.raw_payload_bytes} bytes were kept: the message cannot be replayed`);

      const device = row.device_id ? await tx.findOneBy(DeviceEntity, { deviceId: row.device_id }) : null;
      const binding = device ? await this.bindings.record(tx, device) : undefined;
      const outcome = ingestDeviceMessage({ mqttTopic: row.mqtt_topic, payload, receivedAt: row.received_at }, (_deviceId, measuredAt) => bindingAt(binding, measuredAt));
      const rejected = outcome.deadLetters.map((d) => ({ reason: d.reason, detail: d.detail }));
      // Nothing accepted: the cause is not fixed yet; the dead letter stays open. Some accepted: those
      // go on, and the readings still refused (for their content) are recorded in the outcome.
      if (outcome.observations.length === 0) {
        throw new ConflictException({
          statusCode: 409,
          error: 'Conflict',
          message: `still rejected: ${rejected.map((r) => `${r.reason} (${r.detail})`).join('; ')}`,
          issues: rejected.map((r) => ({ field: 'payload', reason: r.reason })),
        });
      }
      await this.events.publishObservations(outcome.observations);
      const replayOutcome = { accepted: outcome.observations.length, rejected };
      const [updated] = (await tx.query(
        `UPDATE dead_letters SET status = 'replayed', replayed_at = now(), replayed_by = $2, replay_outcome = $3 WHERE id = $1 RETURNING *`,
        [id, actor, JSON.stringify(replayOutcome)],
      )) as [DeadLetterRow[], number];
      this.log.info('dead letter replayed', { deadLetterId: id, deviceId: row.device_id, reason: row.reason, readings: outcome.observations.length });
      return toResponse(updated[0] as DeadLetterRow);
    });
  }
}
