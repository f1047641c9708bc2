import { z } from 'zod';
import { AlertEvidence, AlertExplanation, AlertStatus } from './alert';
import { Role } from './api';
import { PROGRAMS, Program, Severity } from './programs';

/** HTTP contracts of the nurses' worklist (care-api /api/v1/alerts, /dispositions, /care-teams; issue 4). */

/**
 * The worklist's two queues: clinical alerts, and adherence items (missing data, device
 * data quality, billing risk: rules AD-* and DQ-*) apart, so the second never buries the first.
 */
export const ALERT_QUEUES = ['clinical', 'adherence'] as const;
/** AD-: missing data and billing risk; DQ-: device data quality; DV-: device health (battery, clock). */
export const ADHERENCE_RULE_PREFIXES = ['AD-', 'DQ-', 'DV-'] as const;
export const queueOfRule = (ruleId: string): (typeof ALERT_QUEUES)[number] =>
  ADHERENCE_RULE_PREFIXES.some((prefix) => ruleId.startsWith(prefix)) ? 'adherence' : 'clinical';

/** Free text a nurse writes: no control characters but line breaks and tabs (PostgreSQL cannot store NUL). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FreeText = z.string().trim().regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, 'must not contain control characters');

/** A nurse's id (the token's sub). */
const UserId = z.string().trim().min(1).max(200);

export const AlertListQuery = z.object({
  /** "active": open or acknowledged (the worklist's default view). */
  status: z.enum([...AlertStatus.options, 'active']).optional(),
  queue: z.enum(ALERT_QUEUES).optional(),
  patientId: z.string().uuid().optional(),
  /** Patients enrolled in this programme ("general": in none). */
  programme: z.enum(['general', ...PROGRAMS]).optional(),
  /** "me": the caller; "none": nobody; otherwise a user id. */
  assignee: UserId.optional(),
  /** Snoozed alerts are left out unless asked for. */
  includeSnoozed: z.enum(['true', 'false']).transform((v) => v === 'true').default(false),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type AlertListQuery = z.infer<typeof AlertListQuery>;

export const AlertNote = z.object({ id: z.string().uuid(), author: z.string(), body: z.string(), createdAt: z.iso.datetime() });
export type AlertNote = z.infer<typeof AlertNote>;

export const AlertResponse = z.object({
  id: z.string().uuid(),
  patientId: z.string().uuid(),
  /** What the nurse needs to recognise the patient; nothing more. */
  patient: z.object({ name: z.string(), mrn: z.string(), programs: z.array(Program) }),
  ruleId: z.string(),
  ruleSource: z.string(),
  severity: Severity,
  kind: z.enum(['alert', 'recheck']),
  status: AlertStatus,
  raisedAt: z.iso.datetime(),
  measuredAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  summary: z.string(),
  threshold: z.string(),
  retrospective: z.boolean(),
  acknowledgedAt: z.iso.datetime().nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: z.iso.datetime().nullable(),
  resolvedBy: z.string().nullable(),
  disposition: z.string().nullable(),
  note: z.string().nullable(),
  observations: z.array(AlertEvidence.omit({ observationId: true })),
  /** Why it fired: rule and version, thresholds with provenance, window, NEWS2 sub-scores (null for alerts raised before explanations). */
  explanation: AlertExplanation.nullable(),
  /** Breaches merged into this alert while it stayed open. */
  breaches: z.number().int().positive(),
  /** Set when the engine saw the values return to normal (or data resume); the nurse still resolves it. */
  returnedToNormalAt: z.iso.datetime().nullable(),
  queue: z.enum(ALERT_QUEUES),
  assignedTo: z.string().nullable(),
  assignedAt: z.iso.datetime().nullable(),
  /** While set and in the future, the alert is out of the default queue. */
  snoozedUntil: z.iso.datetime().nullable(),
  /** When acknowledgement is due by the severity's target. */
  acknowledgeBy: z.iso.datetime(),
  /** Set once the alert stayed unacknowledged past its target and went to the care team's escalation contact. */
  escalatedAt: z.iso.datetime().nullable(),
  escalatedTo: z.string().nullable(),
  notes: z.array(AlertNote),
});
export type AlertResponse = z.infer<typeof AlertResponse>;

export const AlertListResponse = z.object({ items: z.array(AlertResponse), nextCursor: z.string().nullable() });
export type AlertListResponse = z.infer<typeof AlertListResponse>;

/**
 * What a resolution's disposition means for the reports: a real clinical event (the backtest flags
 * a change that would have hidden it), a measurement or device error, no action needed, or other.
 */
export const DISPOSITION_CATEGORIES = ['clinical', 'measurement_error', 'no_action', 'other'] as const;
export const DispositionCategory = z.enum(DISPOSITION_CATEGORIES);
export type DispositionCategory = z.infer<typeof DispositionCategory>;

export const DispositionCode = z.string().regex(/^[a-z][a-z0-9_]{1,47}$/, 'lower-case letters, digits and _, 2 to 48 characters');

/** The list a new deployment starts with (issue 4, section 1); admins change it (PUT /dispositions/{code}). */
export const DEFAULT_DISPOSITIONS = [
  { code: 'contacted_patient', label: 'Contacted patient', category: 'clinical' },
  { code: 'advised_ed_or_911', label: 'Advised ED or 911', category: 'clinical' },
  { code: 'medication_adjusted_per_protocol', label: 'Medication adjusted per protocol', category: 'clinical' },
  { code: 'measurement_or_device_error', label: 'Measurement or device error', category: 'measurement_error' },
  { code: 'no_action_needed', label: 'No action needed', category: 'no_action' },
] as const satisfies readonly { code: string; label: string; category: DispositionCategory }[];
export const DISPOSITIONS = DEFAULT_DISPOSITIONS.map((d) => d.code);

export const DispositionResponse = z.object({ code: z.string(), label: z.string(), category: DispositionCategory, active: z.boolean(), sortOrder: z.number().int() });
export type DispositionResponse = z.infer<typeof DispositionResponse>;

/** PUT /dispositions/{code}: add or change one; an inactive one is no longer offered, old resolutions keep it. */
export const PutDispositionRequest = z.strictObject({
  label: z.string().trim().min(1).max(100),
  category: DispositionCategory,
  active: z.boolean().default(true),
  sortOrder: z.number().int().min(0).max(1000).default(100),
});
export type PutDispositionRequest = z.infer<typeof PutDispositionRequest>;

export const ResolveAlertRequest = z.strictObject({
  /** One of the active dispositions (GET /api/v1/dispositions). */
  disposition: DispositionCode,
  note: FreeText.max(2000).optional(),
});
export type ResolveAlertRequest = z.infer<typeof ResolveAlertRequest>;

/** POST /alerts/{id}/assign: to a nurse of the patient's care team ("me": the caller). */
export const AssignAlertRequest = z.strictObject({ assignee: UserId });
export type AssignAlertRequest = z.infer<typeof AssignAlertRequest>;

export const AddAlertNoteRequest = z.strictObject({ body: FreeText.min(1, 'a note cannot be empty').max(2000) });
export type AddAlertNoteRequest = z.infer<typeof AddAlertNoteRequest>;

/** Snoozes last at most 3 days: a snooze is a reminder to look again, not a way to switch a rule off. */
export const MAX_SNOOZE_MINUTES = 3 * 24 * 60;

/**
 * POST /alerts/{id}/snooze: hides the alert, and further breaches of the same (patient, rule), until
 * it expires by itself. A worse value or a higher severity breaks through. High-severity rules
 * cannot be snoozed (409).
 */
export const SnoozeAlertRequest = z.strictObject({
  minutes: z.number().int().min(5).max(MAX_SNOOZE_MINUTES),
  reason: z.string().trim().max(500).optional(),
});
export type SnoozeAlertRequest = z.infer<typeof SnoozeAlertRequest>;

/** Worklist response targets by severity (CLINICAL.md 4.3; "next business day" taken as 24 h). */
export const ACKNOWLEDGE_TARGET_MINUTES: Readonly<Record<Severity, number>> = { high: 30, medium: 4 * 60, low: 24 * 60 };

const CareTeamId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _, up to 64 characters');

/** PUT /care-teams/{id} (admin). */
export const PutCareTeamRequest = z.strictObject({
  name: z.string().trim().min(1).max(200),
  /** Who hears of alerts left unacknowledged past their target (a user id, a pager or a phone). */
  escalationContact: z.string().trim().min(1).max(200).nullable().default(null),
});
export type PutCareTeamRequest = z.infer<typeof PutCareTeamRequest>;

export const CareTeamResponse = z.object({
  id: CareTeamId,
  name: z.string(),
  escalationContact: z.string().nullable(),
  members: z.array(z.object({ userId: z.string(), addedAt: z.iso.datetime(), addedBy: z.string() })),
});
export type CareTeamResponse = z.infer<typeof CareTeamResponse>;
export { CareTeamId };

/**
 * An instant PostgreSQL's timestamptz reads as the query's bound: year 0000 (which RFC 3339 allows) is
 * none, in the text or in UTC. `from=0000-01-01T00:00:00+23:59` was a 500 (fuzzing, issue 8 section 4).
 */
const AuditBound = z.iso
  .datetime({ offset: true })
  .refine((v) => !v.startsWith('0000') && Date.parse(v) >= Date.parse('0001-01-01T00:00:00Z'), 'must be in year 1 or later');

/** GET /audit (admin): the trail, newest first. */
export const AuditQuery = z.object({
  patientId: z.string().uuid().optional(),
  actor: z.string().max(200).optional(),
  from: AuditBound.optional(),
  to: AuditBound.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** The id of the last entry of the previous page. */
  before: z.string().regex(/^\d{1,18}$/).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntryResponse = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  actor: z.string(),
  role: z.string(),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  patientId: z.string().nullable(),
  outcome: z.number().int(),
  sourceIp: z.string().nullable(),
});
export const AuditListResponse = z.object({ items: z.array(AuditEntryResponse), nextBefore: z.string().nullable() });
export type AuditListResponse = z.infer<typeof AuditListResponse>;

/** GET /me: the caller; careTeams null means every patient (admins, clinical leads). */
export const MeResponse = z.object({ sub: z.string(), role: Role, careTeams: z.array(z.string()).nullable() });
export type MeResponse = z.infer<typeof MeResponse>;
