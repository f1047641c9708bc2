import { z } from 'zod';

export const DLQ_REASONS = ['invalid_json', 'schema', 'too_large', 'implausible', 'unbound_device', 'clock_skew'] as const;
export const DlqReason = z.enum(DLQ_REASONS);
export type DlqReason = z.infer<typeof DlqReason>;

/** rpm.ingest.dlq.v1: a rejected message or reading, with the raw bytes kept for replay. */
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
  rawPayloadBase64: z.string(),
});
export type DeadLetterV1 = z.infer<typeof DeadLetterV1>;
