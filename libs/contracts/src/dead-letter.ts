import { z } from 'zod';

export const DLQ_REASONS = [
  'invalid_json',
  'schema',
  'too_large',
  'implausible',
  'unbound_device',
  'clock_skew',
  /** Quarantined: the device has bindings, but none holds the reading's measuredAt (issue 7); replayable once one does. */
  'outside_binding',
  /** A secondary time-series sink (Timestream) refused this observation itself; `detail` carries its reason. */
  'sink_rejected',
  /** A secondary sink's write failed as a whole (retries exhausted, or an error not worth retrying); `detail` names it. */
  'sink_write_failed',
  /**
   * Kafka refuses the message's records for good (a record over the broker's size limit, one that
   * fails its topic's schema): the gateway dead-letters the whole message instead of holding its
   * PUBACK, and its connection, forever. `detail` names the error.
   */
  'unwritable',
] as const;
export const DlqReason = z.enum(DLQ_REASONS);
export type DlqReason = z.infer<typeof DlqReason>;

/** At most this much of a rejected payload is kept: a dead letter must fit a Kafka record comfortably. */
export const MAX_DEAD_LETTER_PAYLOAD_BYTES = 32 * 1024;

/**
 * rpm.ingest.dlq.v1: a rejected message or reading, with the raw bytes kept for replay.
 * Reasons are only ever added, never renamed or removed. For the `sink_*`
 * reasons (vitals-store, docs/adr/0010) the raw payload is the rpm.observation.v1 record as JSON,
 * already stored in PostgreSQL, to be replayed into that sink only; mqttTopic is its device's topic.
 */
export const DeadLetterV1 = z.object({
  schema: z.literal('rpm.ingest-dlq.v1'),
  reason: DlqReason,
  detail: z.string(),
  deviceId: z.string().nullable(),
  mqttTopic: z.string(),
  messageId: z.string().nullable(),
  /** Index of the rejected reading within the message, when only that reading was rejected. */
  readingIndex: z.number().int().nullable(),
  receivedAt: z.iso.datetime(),
  /** The payload as received, cut at MAX_DEAD_LETTER_PAYLOAD_BYTES (a too_large message is kept in part). */
  rawPayloadBase64: z.string(),
  /** Size and SHA-256 of the whole payload, so a cut one can still be matched to its device's copy. */
  rawPayloadBytes: z.number().int().nonnegative(),
  rawPayloadSha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type DeadLetterV1 = z.infer<typeof DeadLetterV1>;
