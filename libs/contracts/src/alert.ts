import { z } from 'zod';
import { Severity } from './programs';

export const AlertEvidence = z.object({
  observationId: z.string(),
  code: z.string(),
  value: z.number(),
  unit: z.string(),
  /** What the device sent (183.5 lb for 83.2 kg); absent for evidence derived from the engine's state. */
  originalValue: z.number().optional(),
  originalUnit: z.string().optional(),
  measuredAt: z.iso.datetime(),
});
export type AlertEvidence = z.infer<typeof AlertEvidence>;

/** Where a threshold value came from: a programme protocol's default or the patient's override. */
export const ThresholdProvenance = z.object({
  source: z.enum(['programme', 'patient_override']),
  /** "general", "heart_failure", ... or "patient". */
  protocol: z.string(),
  version: z.number().int().positive(),
  setBy: z.string().optional(),
  setAt: z.iso.datetime().optional(),
  reason: z.string().optional(),
});
export type ThresholdProvenance = z.infer<typeof ThresholdProvenance>;

export const ExplainedThreshold = z.object({
  parameter: z.string(),
  /** "systolic > 180 mm[Hg]" */
  description: z.string(),
  value: z.number(),
  unit: z.string(),
  provenance: ThresholdProvenance,
});
export type ExplainedThreshold = z.infer<typeof ExplainedThreshold>;

/** Why an alert fired, for the nurse: rule and version, thresholds with provenance, window, NEWS2 parts. */
export const AlertExplanation = z.object({
  rule: z.object({ id: z.string(), title: z.string(), source: z.string(), version: z.string() }),
  thresholds: z.array(ExplainedThreshold),
  /** The span of readings the verdict used (confirmation pair, trend days, NEWS2 set). */
  window: z.object({ description: z.string(), from: z.iso.datetime(), to: z.iso.datetime() }).optional(),
  news2: z
    .object({ aggregate: z.number().int().min(0).max(20), scale: z.number().int(), subScores: z.record(z.string(), z.number().int()) })
    .optional(),
});
export type AlertExplanation = z.infer<typeof AlertExplanation>;

/** The engine's episode of (patient, rule): opened by the first breach, counted until it clears. */
export const AlertEpisode = z.object({ openedAt: z.iso.datetime(), breaches: z.number().int().positive() });
export type AlertEpisode = z.infer<typeof AlertEpisode>;

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
  /** Optional for records written before explanations existed. */
  explanation: AlertExplanation.optional(),
  episode: AlertEpisode.optional(),
});
export type AlertRaisedV1 = z.infer<typeof AlertRaisedV1>;

/**
 * rpm.alerts.v1: the episode of (patient, rule) ended: the values returned inside the limit by
 * the rule's deadband, or a silent device sent data again. The worklist marks the alert
 * "returned to normal"; a nurse still resolves it. clearKey is deterministic (replay-safe).
 */
export const AlertClearedV1 = z.object({
  schema: z.literal('rpm.alert-cleared.v1'),
  clearKey: z.string().uuid(),
  patientId: z.string().uuid(),
  ruleId: z.string(),
  reason: z.enum(['returned_to_normal', 'data_resumed']),
  summary: z.string(),
  measuredAt: z.iso.datetime(),
  evaluatedAt: z.iso.datetime(),
  observations: z.array(AlertEvidence),
});
export type AlertClearedV1 = z.infer<typeof AlertClearedV1>;

/** Everything on rpm.alerts.v1. */
export const AlertSignalV1 = z.discriminatedUnion('schema', [AlertRaisedV1, AlertClearedV1]);
export type AlertSignalV1 = z.infer<typeof AlertSignalV1>;

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export const AlertStatus = z.enum(ALERT_STATUSES);
export type AlertStatus = z.infer<typeof AlertStatus>;

/** rpm.alert-events.v1: what happened to a worklist alert, for downstream systems. */
export const AlertEventV1 = z.object({
  schema: z.literal('rpm.alert-event.v1'),
  eventId: z.string().uuid(),
  alertId: z.string().uuid(),
  patientId: z.string().uuid(),
  /** Added in place (a consumer ignores types it does not know): assigned ... escalated came with issue 4. */
  type: z.enum([
    'raised',
    'evidence_added',
    'returned_to_normal',
    'acknowledged',
    'resolved',
    'assigned',
    'unassigned',
    'note_added',
    'snoozed',
    'snooze_ended',
    'escalated',
  ]),
  status: AlertStatus,
  at: z.iso.datetime(),
  actor: z.string(),
  disposition: z.string().nullable(),
  /** assigned: to whom. */
  assignee: z.string().optional(),
  /** snoozed, or raised into a live snooze: until when. */
  snoozedUntil: z.iso.datetime().optional(),
  /** escalated: the care team's escalation contact. */
  escalatedTo: z.string().optional(),
});
export type AlertEventV1 = z.infer<typeof AlertEventV1>;
