import { z } from 'zod';
import { PROGRAMS, Program, Spo2Scale } from './programs';

export const DEVICE_KINDS = ['bp_cuff', 'scale', 'pulse_oximeter', 'glucometer', 'thermometer', 'wearable', 'hub'] as const;
export const DeviceKind = z.enum(DEVICE_KINDS);
export type DeviceKind = z.infer<typeof DeviceKind>;

/**
 * One period a device reported for one patient: readings measured in [from, to) are hers. `from`
 * null: since before any reading (a device's first binding); `to` null: still bound.
 */
export const BindingPeriod = z.object({
  patientId: z.string().uuid(),
  from: z.iso.datetime().nullable(),
  to: z.iso.datetime().nullable(),
});
export type BindingPeriod = z.infer<typeof BindingPeriod>;

/**
 * rpm.registry.devices.v1 (compacted, key deviceId): which patient a device reports for. Since
 * issue 7 the record carries the device's whole binding history, oldest first; a reading is the
 * patient's whose period holds its measuredAt. A record without `history` (written before) binds
 * the device to `patientId` for all time. `patientId` is the latest binding's patient.
 */
export const DeviceBindingV1 = z.object({
  schema: z.literal('rpm.device-binding.v1'),
  deviceId: z.string(),
  patientId: z.string().uuid(),
  kind: DeviceKind,
  boundAt: z.iso.datetime(),
  history: z.array(BindingPeriod).optional(),
});
export type DeviceBindingV1 = z.infer<typeof DeviceBindingV1>;

/**
 * A patient's own setting of one rule parameter (a threshold, AD-01's cadence) or of a rule's
 * on/off switch. `parameter` names what the effective protocol lists (`conditions.0`,
 * `conditions.0.and`, `changes.0`, `systolic`, `diastolic`, `drop`, `cadenceHours`);
 * `value` is in `unit`, converted to the canonical unit by the rules library.
 */
export const ProtocolOverride = z.strictObject({
  ruleId: z.string().min(1).max(32),
  parameter: z.string().min(1).max(40).optional(),
  value: z.number().refine(Number.isFinite, 'must be a finite number').optional(),
  unit: z.string().min(1).max(16).optional(),
  enabled: z.boolean().optional(),
  reason: z.string().max(500).optional(),
  /** Who set it, when, and the patient protocol version that introduced it (provenance). */
  setBy: z.string(),
  setAt: z.iso.datetime(),
  version: z.number().int().positive(),
});
export type ProtocolOverride = z.infer<typeof ProtocolOverride>;

/** rpm.rules.config.v1 (compacted, key patientId): what the rules engine needs of a patient. */
export const PatientProtocolV1 = z.object({
  schema: z.literal('rpm.patient-protocol.v1'),
  patientId: z.string().uuid(),
  programs: z.array(Program),
  spo2Scale: Spo2Scale,
  timezone: z.string(),
  version: z.number().int().positive(),
  updatedAt: z.iso.datetime(),
  /** Absent in records written before overrides existed: none. */
  overrides: z.array(ProtocolOverride).default([]),
});
export type PatientProtocolV1 = z.infer<typeof PatientProtocolV1>;

/** The general protocol every patient has, and one per programme. */
export const PROTOCOL_NAMES = ['general', ...PROGRAMS] as const;
export const ProtocolName = z.enum(PROTOCOL_NAMES);
export type ProtocolName = z.infer<typeof ProtocolName>;

/**
 * rpm.rules.config.v1, key `programme:{name}`: the published version of a programme protocol
 * (issue 5). Its settings apply to every patient of the programme unless the patient overrides them.
 */
export const ProgrammeProtocolV1 = z.object({
  schema: z.literal('rpm.programme-protocol.v1'),
  programme: ProtocolName,
  version: z.number().int().positive(),
  settings: z.array(ProtocolOverride),
  publishedAt: z.iso.datetime(),
  publishedBy: z.string(),
});
export type ProgrammeProtocolV1 = z.infer<typeof ProgrammeProtocolV1>;

export const programmeProtocolKey = (programme: ProtocolName): string => `programme:${programme}`;

/** Everything on rpm.rules.config.v1: patients' protocols and programmes' published versions. */
export const RulesConfigV1 = z.discriminatedUnion('schema', [PatientProtocolV1, ProgrammeProtocolV1]);
export type RulesConfigV1 = z.infer<typeof RulesConfigV1>;

/**
 * rpm.rules.state.v1 (compacted, key patientId): the rules engine's per-patient monitor state,
 * written with the alerts of every batch before its offsets are committed (docs/adr/0006).
 * `state` is the rules library's own compact JSON; the engine validates it on reading.
 */
export const RulesStateV1 = z.object({
  schema: z.literal('rpm.rules-state.v1'),
  patientId: z.string().uuid(),
  state: z.record(z.string(), z.unknown()),
  updatedAt: z.iso.datetime(),
});
export type RulesStateV1 = z.infer<typeof RulesStateV1>;
