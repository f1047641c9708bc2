import { z } from 'zod';
import { Severity } from './programs';

export const AlertEvidence = z.object({
  observationId: z.string(),
  code: z.string(),
  value: z.number(),
  unit: z.string(),
  measuredAt: z.iso.datetime(),
});
export type AlertEvidence = z.infer<typeof AlertEvidence>;

/**
 * rpm.alerts.v1: a rule fired on a reading. alertKey is derived from (patient, rule,
 * triggering observation), so replaying the same reading yields the same key.
 */
export const AlertRaisedV1 = z.object({
  schema: z.literal('rpm.alert-raised.v1'),
  alertKey: z.string().uuid(),
  patientId: z.string().uuid(),
  ruleId: z.string(),
  ruleSource: z.string(),
  severity: Severity,
  /** "recheck": a confirm rule saw one qualifying reading; raised one level lower. */
  kind: z.enum(['alert', 'recheck']),
  summary: z.string(),
  threshold: z.string(),
  /** DQ-02: measured more than 24 h before it arrived; evaluated, downgraded, tagged. */
  retrospective: z.boolean(),
  measuredAt: z.iso.datetime(),
  evaluatedAt: z.iso.datetime(),
  observations: z.array(AlertEvidence).min(1),
});
export type AlertRaisedV1 = z.infer<typeof AlertRaisedV1>;

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export const AlertStatus = z.enum(ALERT_STATUSES);
export type AlertStatus = z.infer<typeof AlertStatus>;

/** rpm.alert-events.v1: what happened to a worklist alert, for downstream systems. */
export const AlertEventV1 = z.object({
  schema: z.literal('rpm.alert-event.v1'),
  eventId: z.string().uuid(),
  alertId: z.string().uuid(),
  patientId: z.string().uuid(),
  type: z.enum(['raised', 'evidence_added', 'acknowledged', 'resolved']),
  status: AlertStatus,
  at: z.iso.datetime(),
  actor: z.string(),
  disposition: z.string().nullable(),
});
export type AlertEventV1 = z.infer<typeof AlertEventV1>;
