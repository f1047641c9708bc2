import { z } from 'zod';
import {
  BacktestResponse,
  CreatePatientRequest,
  DeviceRegistrationResponse,
  EffectiveProtocolResponse,
  ObservationQuery,
  ObservationSeriesResponse,
  PatientBacktestRequest,
  PatientProtocolVersionResponse,
  PatientResponse,
  RegisterDeviceRequest,
  RollbackProtocolRequest,
  SetProtocolOverridesRequest,
} from '@rpm/contracts';
import { ADMIN, ANY_CARE_ROLE, INVALID_ID, INVALID_REQUEST, LEADS, NOT_VISIBLE, type RouteSpec } from '../route-spec';

const patientId = { id: z.uuid() };
const patientVersion = { id: z.uuid(), version: z.number().int() };

/** Enrolment, the patient's protocol, the stored time series, device registration. */
export const PATIENT_ROUTES: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/api/v1/patients',
    operationId: 'createPatient',
    tag: 'patients',
    summary: 'Enrol a patient',
    description:
      'Stores the patient, then publishes its protocol (programmes, SpO2 scale, time zone) to the compacted topic `rpm.rules.config.v1` ' +
      'for the rules engine. `spo2Scale` defaults to 2 when `copd` is among the programmes, otherwise 1. `careTeamId` defaults to `default`. ' +
      'Duplicate programmes are removed.',
    roles: ADMIN,
    body: CreatePatientRequest,
    success: { 201: PatientResponse },
    errors: { 400: INVALID_REQUEST, 409: 'A patient with this MRN exists.' },
  },
  {
    method: 'get',
    path: '/api/v1/patients/{id}',
    operationId: 'getPatient',
    tag: 'patients',
    summary: 'One patient',
    roles: ANY_CARE_ROLE,
    params: patientId,
    success: { 200: PatientResponse },
    errors: { 400: INVALID_ID, 404: NOT_VISIBLE },
  },
  {
    method: 'get',
    path: '/api/v1/patients/{id}/protocol',
    operationId: 'getEffectiveProtocol',
    tag: 'patients',
    summary: "The patient's effective protocol, with where every value came from",
    description:
      "Every rule of the general protocol and of the patient's programmes, whether it is on, and each tunable parameter with its value, " +
      "its default, and its provenance: the programme protocol (with version) or the patient's override (with version, author, time and reason).",
    roles: ANY_CARE_ROLE,
    params: patientId,
    success: { 200: EffectiveProtocolResponse },
    errors: { 400: INVALID_ID, 404: NOT_VISIBLE },
  },
  {
    method: 'put',
    path: '/api/v1/patients/{id}/protocol/overrides',
    operationId: 'setProtocolOverrides',
    tag: 'patients',
    summary: "Replace the patient's overrides (a new protocol version)",
    description:
      "The complete list of the patient's overrides; an empty list removes them all. The change is one new protocol version, published to " +
      'the rules engines in the same transaction: the next reading is judged by it and its alerts name the version. Unchanged overrides keep ' +
      'their provenance. Invalid overrides are refused with field-level reasons (`issues[].field` such as `overrides.0.value`) and change ' +
      'nothing: unknown rule or parameter, unit that does not convert, value outside the plausible range (CLINICAL.md 7.1), a band made ' +
      'empty, a high-severity rule switched off without a reason, the same parameter twice. Nurses get 403.',
    roles: LEADS,
    params: patientId,
    body: SetProtocolOverridesRequest,
    success: { 200: EffectiveProtocolResponse },
    errors: { 400: INVALID_REQUEST, 404: NOT_VISIBLE },
  },
  {
    method: 'get',
    path: '/api/v1/patients/{id}/protocol/versions',
    operationId: 'getPatientProtocolVersions',
    tag: 'patients',
    summary: "Every change of the patient's overrides, with who, why, when and what changed",
    description: 'Version 1 is the patient at enrolment (no overrides) and is not listed.',
    roles: ANY_CARE_ROLE,
    params: patientId,
    success: { 200: z.array(PatientProtocolVersionResponse) },
    errors: { 400: INVALID_ID, 404: NOT_VISIBLE },
  },
  {
    method: 'post',
    path: '/api/v1/patients/{id}/protocol/versions/{version}/rollback',
    operationId: 'rollbackPatientProtocol',
    tag: 'patients',
    summary: "A new version with the overrides of `version` (1: none), validated against today's protocols",
    roles: LEADS,
    params: patientVersion,
    body: RollbackProtocolRequest,
    success: { 201: EffectiveProtocolResponse },
    errors: { 400: INVALID_REQUEST, 404: NOT_VISIBLE },
  },
  {
    method: 'post',
    path: '/api/v1/patients/{id}/protocol/backtests',
    operationId: 'startPatientBacktest',
    tag: 'patients',
    summary: "What a draft of the patient's overrides would have raised over a period, against the overrides in force (background job)",
    description: 'Default period: the last 30 days. Poll GET /api/v1/backtests/{id} for progress and the comparison; DELETE cancels.',
    roles: LEADS,
    params: patientId,
    body: PatientBacktestRequest,
    success: { 202: BacktestResponse },
    errors: { 400: INVALID_REQUEST, 404: NOT_VISIBLE },
  },
  {
    method: 'get',
    path: '/api/v1/patients/{id}/observations',
    operationId: 'getObservations',
    tag: 'observations',
    summary: "A patient's stored time series",
    description:
      "Canonical UCUM values with the device's original value and unit, ordered by `measuredAt` then `code`, measured in `[from, to)`. " +
      'Without `to`, the range ends now; without `from`, it starts 30 days before `to`. There is no cursor: at most `limit` rows come back, ' +
      "and you narrow the range to see more. Proxied to the vitals-store's internal API. A blood pressure reading gives two rows (8480-6 and 8462-4).",
    roles: ANY_CARE_ROLE,
    params: patientId,
    query: ObservationQuery,
    success: { 200: ObservationSeriesResponse },
    errors: { 400: INVALID_REQUEST, 404: NOT_VISIBLE, 502: 'The vitals-store is unreachable, timed out (5 s), or answered with an error.' },
  },
  {
    method: 'post',
    path: '/api/v1/devices',
    operationId: 'registerDevice',
    tag: 'devices',
    summary: 'Register a device and bind it to a patient',
    description:
      "Creates the device's broker identity in Mosquitto (client `deviceId`, allowed to publish only to `rpm/devices/{deviceId}/readings`), " +
      'stores the device with a scrypt hash of its password, and publishes the binding to the compacted topic `rpm.registry.devices.v1` for ' +
      'the ingest gateway. **The password appears only in this response.** See docs/device-contract.md.',
    roles: ADMIN,
    body: RegisterDeviceRequest,
    success: { 201: DeviceRegistrationResponse },
    errors: {
      400: INVALID_REQUEST,
      404: 'No such patient.',
      409: 'The device is registered already, or the broker has a client of that name that is not a leftover of an earlier, rolled-back registration of this device.',
      503: 'The MQTT broker did not confirm or refused the device credentials (unreachable, or no answer within 15 s). Nothing was stored.',
    },
  },
];
