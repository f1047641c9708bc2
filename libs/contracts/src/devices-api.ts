import { z } from 'zod';
import { DLQ_REASONS } from './dead-letter';
import { BindingPeriod, DeviceKind } from './registry';

/** HTTP contracts of device administration in care-api (/api/v1/devices, /api/v1/dead-letters; issue 7). */

/** PUT /devices/{id}/binding: the device now reports for this patient, from `from` (default: now). */
export const BindDeviceRequest = z.strictObject({
  patientId: z.string().uuid(),
  from: z.iso.datetime({ offset: true }).optional(),
});
export type BindDeviceRequest = z.infer<typeof BindDeviceRequest>;

/** DELETE /devices/{id}/binding: the device came back (a loaner returned to stock); readings measured from `at` on are quarantined. */
export const UnbindDeviceRequest = z.strictObject({ at: z.iso.datetime({ offset: true }).optional() });
export type UnbindDeviceRequest = z.infer<typeof UnbindDeviceRequest>;

export const DeviceResponse = z.object({
  deviceId: z.string(),
  kind: DeviceKind,
  /** The patient of the open binding; null when the device is bound to nobody now. */
  patientId: z.string().uuid().nullable(),
  /** Every binding, oldest first. */
  bindings: z.array(BindingPeriod.extend({ createdBy: z.string(), createdAt: z.iso.datetime() })),
  registeredAt: z.iso.datetime(),
  /** What the gateway last heard from it (null: nothing yet). */
  status: z
    .object({
      lastSeenAt: z.iso.datetime(),
      clockOffsetMs: z.number().int(),
      batteryPercent: z.number().nullable(),
      signalDbm: z.number().nullable(),
      firmware: z.string().nullable(),
    })
    .nullable(),
  /** Set once revoked: the broker refuses it from then on. */
  revokedAt: z.iso.datetime().nullable(),
  passwordRotatedAt: z.iso.datetime().nullable(),
});
export type DeviceResponse = z.infer<typeof DeviceResponse>;

/** GET /devices (admin): every device, or one patient's (by its open binding), newest registration first. */
export const DeviceListQuery = z.object({
  patientId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type DeviceListQuery = z.infer<typeof DeviceListQuery>;

export const DEAD_LETTER_STATUSES = ['open', 'replayed'] as const;

/** GET /dead-letters (admin): rejected and quarantined readings, newest first. */
export const DeadLetterListQuery = z.object({
  reason: z.enum(DLQ_REASONS).optional(),
  deviceId: z.string().max(128).optional(),
  status: z.enum(DEAD_LETTER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The id of the last item of the previous page. */
  before: z.string().regex(/^\d{1,18}$/).optional(),
});
export type DeadLetterListQuery = z.infer<typeof DeadLetterListQuery>;

export const DeadLetterResponse = z.object({
  id: z.string(),
  reason: z.enum(DLQ_REASONS),
  detail: z.string(),
  deviceId: z.string().nullable(),
  messageId: z.string().nullable(),
  readingIndex: z.number().int().nullable(),
  receivedAt: z.iso.datetime(),
  /** The payload as received (base64, at most 32 KiB), its full size and SHA-256. */
  rawPayloadBase64: z.string(),
  rawPayloadBytes: z.number().int(),
  rawPayloadSha256: z.string(),
  status: z.enum(DEAD_LETTER_STATUSES),
  replayedAt: z.iso.datetime().nullable(),
  replayedBy: z.string().nullable(),
  /** What the replay did: readings sent on, and dead letters it gave again (the cause is not fixed yet). */
  replayOutcome: z.object({ accepted: z.number().int(), rejected: z.array(z.object({ reason: z.enum(DLQ_REASONS), detail: z.string() })) }).nullable(),
});
export type DeadLetterResponse = z.infer<typeof DeadLetterResponse>;

export const DeadLetterListResponse = z.object({ items: z.array(DeadLetterResponse), nextBefore: z.string().nullable() });
export type DeadLetterListResponse = z.infer<typeof DeadLetterListResponse>;
