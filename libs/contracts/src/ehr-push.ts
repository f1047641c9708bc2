import { z } from 'zod';

export const EHR_PUSH_DLQ_REASONS = [
  /** The FHIR server refused the Bundle with a 4xx other than 408 and 429: retrying the same Bundle cannot help. */
  'rejected',
  /** Every try failed with a 5xx, 408, 429, a timeout or a network error; `detail` names the last failure. */
  'retries_exhausted',
  /** What the Bundle is built from could not be read on any try (the alert, the patient, a reading the vitals store does not hold). */
  'source_unavailable',
] as const;
export const EhrPushDlqReason = z.enum(EHR_PUSH_DLQ_REASONS);
export type EhrPushDlqReason = z.infer<typeof EhrPushDlqReason>;

/**
 * rpm.ehr-push.dlq.v1 (issue 9, docs/fhir.md "Pushing to an EHR"): a record of rpm.alert-events.v1 or
 * rpm.observations.v1 that the EHR push gave up on. It names the source record (topic, partition,
 * offset) for a replay and carries the record itself; the Bundle is rebuilt from the current state on
 * replay, so it is not kept. Reasons are only ever added.
 */
export const EhrPushDeadLetterV1 = z.object({
  schema: z.literal('rpm.ehr-push-dlq.v1'),
  reason: EhrPushDlqReason,
  /** The last failure: `HTTP 503`, `HTTP 400: <OperationOutcome diagnostics>`, `timeout after 10000 ms`, ... (no patient data). */
  detail: z.string(),
  /** The HTTP status of the last try; null for a network error, a timeout or source_unavailable. */
  lastStatus: z.number().int().nullable(),
  attempts: z.number().int().nonnegative(),
  patientId: z.string().uuid(),
  /** The alert (alert events) or the reading's natural key (observations). */
  subject: z.object({ kind: z.enum(['alert', 'observation']), id: z.string() }),
  source: z.object({ topic: z.string(), partition: z.number().int().nonnegative(), offset: z.string() }),
  /** The source record as consumed. */
  record: z.unknown(),
  failedAt: z.iso.datetime(),
});
export type EhrPushDeadLetterV1 = z.infer<typeof EhrPushDeadLetterV1>;
