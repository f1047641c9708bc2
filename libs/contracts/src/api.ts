import { z } from 'zod';
import { AlertEvidence, ExplainedThreshold, ThresholdProvenance } from './alert';
import { DeviceId } from './device-payload';
import { PROGRAMS, Program, Severity, Spo2Scale } from './programs';
import { DeviceKind, ProtocolOverride } from './registry';
import { ObservationV1 } from './observation';

/** HTTP contracts of care-api (/api/v1). GET /api/docs (docs/openapi.json) is generated from them. */

export const ROLES = ['admin', 'clinical_lead', 'nurse'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

function isIanaTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const CreatePatientRequest = z.object({
  mrn: z.string().trim().min(1).max(64),
  name: z.string().trim().min(1).max(200),
  timezone: z.string().refine(isIanaTimeZone, 'must be an IANA time zone such as America/New_York'),
  programs: z.array(Program).max(4).default([]),
  /** Set by a clinician; when absent, 2 for COPD enrolment and 1 otherwise. */
  spo2Scale: Spo2Scale.optional(),
  careTeamId: z.string().trim().min(1).max(64).optional(),
});
export type CreatePatientRequest = z.infer<typeof CreatePatientRequest>;

export const PatientResponse = z.object({
  id: z.string().uuid(),
  mrn: z.string(),
  name: z.string(),
  timezone: z.string(),
  programs: z.array(Program),
  spo2Scale: Spo2Scale,
  careTeamId: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type PatientResponse = z.infer<typeof PatientResponse>;

export const RegisterDeviceRequest = z.object({
  deviceId: DeviceId,
  patientId: z.string().uuid(),
  kind: DeviceKind,
});
export type RegisterDeviceRequest = z.infer<typeof RegisterDeviceRequest>;

export const DeviceRegistrationResponse = z.object({
  deviceId: z.string(),
  patientId: z.string().uuid(),
  kind: DeviceKind,
  mqtt: z.object({ url: z.string(), username: z.string(), password: z.string(), topic: z.string() }),
});
export type DeviceRegistrationResponse = z.infer<typeof DeviceRegistrationResponse>;

/** What a clinical lead sets for one patient: an override without its provenance (the API adds who, when, version). */
export const ProtocolOverrideInput = ProtocolOverride.pick({ ruleId: true, parameter: true, value: true, unit: true, enabled: true, reason: true });
export type ProtocolOverrideInput = z.infer<typeof ProtocolOverrideInput>;

/** PUT /patients/{id}/protocol/overrides: the patient's complete override list (an empty list removes them all), and why. */
export const SetProtocolOverridesRequest = z.strictObject({
  overrides: z.array(ProtocolOverrideInput).max(100),
  reason: z.string().trim().min(1, 'say why the protocol changes').max(500),
});
export type SetProtocolOverridesRequest = z.infer<typeof SetProtocolOverridesRequest>;

export const EffectiveRuleResponse = z.object({
  id: z.string(),
  title: z.string(),
  source: z.string(),
  kind: z.enum(['threshold', 'trend', 'news2', 'missing_data']),
  severity: z.string(),
  enabled: z.boolean(),
  enabledProvenance: ThresholdProvenance,
  /** False for a rule of another population (an SpO2 scale-2 rule for a scale-1 patient): listed, never fires for this patient. */
  applies: z.boolean(),
  protocol: z.string(),
  version: z.string(),
  /** `code`: the LOINC code of the component the parameter bounds (null for a cadence). */
  parameters: z.array(ExplainedThreshold.extend({ defaultValue: z.number(), code: z.string().nullable() })),
});

/** GET /patients/{id}/protocol: every rule that applies, and where each value came from. */
export const EffectiveProtocolResponse = z.object({
  patientId: z.string().uuid(),
  version: z.number().int().positive(),
  programs: z.array(Program),
  spo2Scale: Spo2Scale,
  timezone: z.string(),
  rules: z.array(EffectiveRuleResponse),
  overrides: z.array(ProtocolOverride),
});
export type EffectiveProtocolResponse = z.infer<typeof EffectiveProtocolResponse>;

export const ObservationQuery = z
  .object({
    code: z.string().regex(/^\d{1,7}-\d$/, 'must be a LOINC code such as 8480-6').optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(10000).default(1000),
    /**
     * raw: each reading; hour, day: rollups (min, max, mean, count per UTC bucket); auto: raw up to
     * 31 days, hourly up to 180 days, daily beyond.
     */
    resolution: z.enum(['raw', 'hour', 'day', 'auto']).default('raw'),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'from must not be after to',
    path: ['from'],
  });
export type ObservationQuery = z.infer<typeof ObservationQuery>;

export const StoredObservation = z.object({
  code: z.string(),
  value: z.number(),
  unit: z.string(),
  measuredAt: z.iso.datetime(),
  deviceId: z.string(),
  originalValue: z.number(),
  originalUnit: z.string(),
  /**
   * The reading's natural key beside deviceId (added for the FHIR API, issue 9): the message it came in,
   * and its observation code (the BP panel 85354-9 for both pressures). Optional: older stores send neither.
   */
  messageId: z.string().optional(),
  panelCode: z.string().optional(),
});
export type StoredObservation = z.infer<typeof StoredObservation>;

/** One code's readings in one UTC hour or day, in the canonical unit. */
export const ObservationBucket = z.object({
  code: z.string(),
  unit: z.string(),
  start: z.iso.datetime(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  count: z.number().int().positive(),
});
export type ObservationBucket = z.infer<typeof ObservationBucket>;

/** Readings (`items`, resolution raw) or rollup buckets (`buckets`, resolution hour or day). */
export const ObservationSeriesResponse = z.object({
  patientId: z.string().uuid(),
  resolution: z.enum(['raw', 'hour', 'day']),
  items: z.array(StoredObservation),
  buckets: z.array(ObservationBucket),
});
export type ObservationSeriesResponse = z.infer<typeof ObservationSeriesResponse>;

/** Error body of every 4xx: the field (dotted path) and the reason. */
export const ApiError = z.object({
  statusCode: z.number(),
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
});
export type ApiError = z.infer<typeof ApiError>;

/** GET /api/v1/reports/alert-burden: a period (default: the last 30 days) and optionally one programme. */
export const AlertBurdenQuery = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    programme: z.enum(['general', ...PROGRAMS]).optional(),
    /** One care team's patients only. */
    careTeamId: z.string().min(1).max(100).optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['from'] });
export type AlertBurdenQuery = z.infer<typeof AlertBurdenQuery>;

export const AlertBurdenRow = z.object({
  /** "general" for patients in no programme; a patient in two programmes counts in both. */
  programme: z.string(),
  ruleId: z.string(),
  alerts: z.number().int(),
  /** Days each patient of the programme was enrolled within the period, summed. */
  patientDays: z.number(),
  alertsPerPatientDay: z.number(),
  acknowledged: z.number().int(),
  /** Of all its alerts: acknowledged within the severity's target (CLINICAL.md 4.3). */
  acknowledgedWithinTargetShare: z.number(),
  medianMinutesToAcknowledge: z.number().nullable(),
  resolved: z.number().int(),
  dispositions: z.record(z.string(), z.number().int()),
  /** Of the resolved ones: measurement or device error, or no action needed. */
  measurementErrorOrNoActionShare: z.number().nullable(),
});
export type AlertBurdenRow = z.infer<typeof AlertBurdenRow>;

export const AlertBurdenResponse = z.object({ from: z.iso.datetime(), to: z.iso.datetime(), rows: z.array(AlertBurdenRow) });
export type AlertBurdenResponse = z.infer<typeof AlertBurdenResponse>;

/** A draft of a programme protocol: its complete settings and why (issue 5). */
export const ProtocolDraftRequest = z.strictObject({
  settings: z.array(ProtocolOverrideInput).max(200),
  reason: z.string().trim().min(1, 'say why the protocol changes').max(500),
});
export type ProtocolDraftRequest = z.infer<typeof ProtocolDraftRequest>;

/** Publish a draft at once, or at `effectiveAt`. */
export const PublishProtocolRequest = z.strictObject({ effectiveAt: z.iso.datetime({ offset: true }).optional() });
export type PublishProtocolRequest = z.infer<typeof PublishProtocolRequest>;

export const RollbackProtocolRequest = z.strictObject({ reason: z.string().trim().min(1, 'say why the protocol is rolled back').max(500) });
export type RollbackProtocolRequest = z.infer<typeof RollbackProtocolRequest>;

export const PROTOCOL_VERSION_STATUSES = ['draft', 'scheduled', 'published', 'superseded'] as const;

/** One change of a version against the one before it. */
export const ProtocolChange = z.object({
  ruleId: z.string(),
  /** A parameter name, or "enabled". */
  setting: z.string(),
  before: ProtocolOverrideInput.nullable(),
  after: ProtocolOverrideInput.nullable(),
});
export type ProtocolChange = z.infer<typeof ProtocolChange>;

export const ProtocolVersionResponse = z.object({
  programme: z.string(),
  version: z.number().int().positive(),
  status: z.enum(PROTOCOL_VERSION_STATUSES),
  settings: z.array(ProtocolOverride),
  reason: z.string(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  effectiveAt: z.iso.datetime().nullable(),
  publishedAt: z.iso.datetime().nullable(),
  publishedBy: z.string().nullable(),
  rolledBackFrom: z.number().int().nullable(),
  /** Against the version before it (version 1: the library's defaults). */
  changes: z.array(ProtocolChange),
});
export type ProtocolVersionResponse = z.infer<typeof ProtocolVersionResponse>;

export const ProgrammeProtocolResponse = z.object({
  programme: z.string(),
  title: z.string(),
  /** The version in force: 1 is the library's defaults. */
  publishedVersion: z.number().int().positive(),
  rules: z.array(EffectiveRuleResponse),
  versions: z.array(ProtocolVersionResponse),
});
export type ProgrammeProtocolResponse = z.infer<typeof ProgrammeProtocolResponse>;

/** vitals-store internal: the stored readings of many patients over a period, for a backtest. */
export const ObservationHistoryRequest = z.strictObject({
  patientIds: z.array(z.string().uuid()).min(1).max(1000),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});
export type ObservationHistoryRequest = z.infer<typeof ObservationHistoryRequest>;
export const ObservationHistoryResponse = z.object({ observations: z.array(ObservationV1) });
export type ObservationHistoryResponse = z.infer<typeof ObservationHistoryResponse>;

const BacktestPeriod = z.strictObject({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() });
const periodInOrder = (q: { from?: string | undefined; to?: string | undefined }) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to);

/** POST /protocols/{programme}/versions/{version}/backtests: the period to replay (default: the last 30 days). */
export const BacktestRequest = BacktestPeriod.refine(periodInOrder, { message: 'from must be before to', path: ['from'] });
export type BacktestRequest = z.infer<typeof BacktestRequest>;

/** POST /patients/{id}/protocol/backtests: a draft of the patient's complete override list, and the period. */
export const PatientBacktestRequest = BacktestPeriod.extend({ overrides: z.array(ProtocolOverrideInput).max(100) }).refine(periodInOrder, {
  message: 'from must be before to',
  path: ['from'],
});
export type PatientBacktestRequest = z.infer<typeof PatientBacktestRequest>;

export const BACKTEST_STATUSES = ['running', 'done', 'cancelled', 'failed'] as const;

/** An alert a replay raised: its key is the worklist alert's id when the engine really raised it. */
export const ReplayedAlert = z.object({
  alertKey: z.string(),
  patientId: z.string(),
  ruleId: z.string(),
  severity: Severity,
  kind: z.enum(['alert', 'recheck']),
  measuredAt: z.string(),
  summary: z.string(),
  observations: z.array(AlertEvidence),
});
export type ReplayedAlert = z.infer<typeof ReplayedAlert>;

/** A backtest's comparison of the draft with the protocol in force (libs/clinical-rules compareReplays). */
export const BacktestComparison = z.object({
  complete: z.boolean(),
  patients: z.number().int(),
  patientDays: z.number(),
  perRule: z.array(z.object({ ruleId: z.string(), severity: Severity, current: z.number().int(), draft: z.number().int() })),
  alertsPerPatientDay: z.object({ current: z.number(), draft: z.number() }),
  patientsNewlyAlerted: z.array(z.string()),
  patientsNoLongerAlerted: z.array(z.string()),
  /** Raised under the protocol in force, not under the draft; `clinical` when the nurse's real disposition was. */
  disappearing: z.array(ReplayedAlert.extend({ disposition: z.string().nullable(), clinical: z.boolean() })),
  appearing: z.array(ReplayedAlert),
});
export type BacktestComparison = z.infer<typeof BacktestComparison>;

/** A backtest job: of a programme protocol version, or of a patient's draft overrides; progress while it runs, the comparison once done or cancelled. */
export const BacktestResponse = z.object({
  id: z.string().uuid(),
  /** The programme and version replayed; null for a patient's overrides. */
  programme: z.string().nullable(),
  version: z.number().int().positive().nullable(),
  patientId: z.string().uuid().nullable(),
  status: z.enum(BACKTEST_STATUSES),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  error: z.string().nullable(),
  result: BacktestComparison.nullable(),
});
export type BacktestResponse = z.infer<typeof BacktestResponse>;

/** One version of a patient's overrides (version 1: enrolment, none). */
export const PatientProtocolVersionResponse = z.object({
  version: z.number().int().positive(),
  overrides: z.array(ProtocolOverride),
  reason: z.string(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  rolledBackFrom: z.number().int().nullable(),
  changes: z.array(ProtocolChange),
});
export type PatientProtocolVersionResponse = z.infer<typeof PatientProtocolVersionResponse>;
