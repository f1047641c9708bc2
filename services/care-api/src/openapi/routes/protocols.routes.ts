import { z } from 'zod';
import {
  AlertBurdenQuery,
  AlertBurdenResponse,
  BacktestRequest,
  BacktestResponse,
  ProgrammeProtocolResponse,
  ProtocolDraftRequest,
  ProtocolName,
  ProtocolVersionResponse,
  PublishProtocolRequest,
  RollbackProtocolRequest,
} from '@rpm/contracts';
import { ANY_CARE_ROLE, INVALID_ID, INVALID_REQUEST, LEADS, type RouteSpec } from '../route-spec';

// Any other programme name is a 404, not a 400: the path names a resource.
const programme = { programme: ProtocolName };
const programmeVersion = { programme: ProtocolName, version: z.number().int() };
const UNKNOWN_VERSION = 'No such programme or version.';
const NOT_A_DRAFT = 'The version is not a draft (published, scheduled or superseded).';

/** Programme protocols and their versions, backtests, and the alert-burden report that informs them. */
export const PROTOCOL_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/api/v1/protocols/{programme}',
    operationId: 'getProgrammeProtocol',
    tag: 'protocols',
    summary: 'A programme protocol, its rules as in force, and its version history with changes',
    description: 'Version 1 is the rules library default.',
    roles: ANY_CARE_ROLE,
    params: programme,
    success: { 200: ProgrammeProtocolResponse },
    errors: { 404: 'No such programme.' },
  },
  {
    method: 'post',
    path: '/api/v1/protocols/{programme}/versions',
    operationId: 'createProtocolDraft',
    tag: 'protocols',
    summary: 'Draft a new version (its complete settings and why)',
    description:
      'Settings have the shape of patient overrides and may address only rules of this protocol. Refused with field-level reasons ' +
      '(`issues[].field` such as `settings.0.value`): unknown rule or parameter, a rule of another protocol, a unit that does not convert, ' +
      'a value outside the plausible range, an empty band, a high-severity rule switched off without a reason.',
    roles: LEADS,
    params: programme,
    body: ProtocolDraftRequest,
    success: { 201: ProtocolVersionResponse },
    errors: { 400: INVALID_REQUEST, 404: 'No such programme.' },
  },
  {
    method: 'put',
    path: '/api/v1/protocols/{programme}/versions/{version}',
    operationId: 'updateProtocolDraft',
    tag: 'protocols',
    summary: 'Change a draft',
    roles: LEADS,
    params: programmeVersion,
    body: ProtocolDraftRequest,
    success: { 200: ProtocolVersionResponse },
    errors: { 400: INVALID_REQUEST, 404: UNKNOWN_VERSION, 409: NOT_A_DRAFT },
  },
  {
    method: 'post',
    path: '/api/v1/protocols/{programme}/versions/{version}/publish',
    operationId: 'publishProtocolVersion',
    tag: 'protocols',
    summary: 'Publish a draft at once, or schedule it (`effectiveAt`)',
    description:
      'Publication supersedes the version in force and reaches the rules engines through rpm.rules.config.v1 (`rpm.programme-protocol.v1`, ' +
      'key `programme:{name}`) in the same transaction: the next reading is judged by it and its alerts name the version. A scheduled ' +
      'version is published by care-api once due.',
    roles: LEADS,
    params: programmeVersion,
    body: PublishProtocolRequest,
    bodyOptional: true,
    success: { 200: ProtocolVersionResponse },
    errors: { 400: INVALID_REQUEST, 404: UNKNOWN_VERSION, 409: NOT_A_DRAFT },
  },
  {
    method: 'post',
    path: '/api/v1/protocols/{programme}/versions/{version}/rollback',
    operationId: 'rollbackProtocol',
    tag: 'protocols',
    summary: 'A new version with the settings of `version` (1: library defaults), published at once',
    roles: LEADS,
    params: programmeVersion,
    body: RollbackProtocolRequest,
    success: { 201: ProtocolVersionResponse },
    errors: { 400: INVALID_REQUEST, 404: UNKNOWN_VERSION, 409: 'The version cannot be rolled back to (a draft, or the version in force).' },
  },
  {
    method: 'post',
    path: '/api/v1/protocols/{programme}/versions/{version}/backtests',
    operationId: 'startBacktest',
    tag: 'protocols',
    summary: "Replay the programme's stored readings under this version and the protocols in force (background job)",
    description: 'Default period: the last 30 days. Poll GET /api/v1/backtests/{id} for progress and the comparison; DELETE cancels.',
    roles: LEADS,
    params: programmeVersion,
    body: BacktestRequest,
    bodyOptional: true,
    success: { 202: BacktestResponse },
    errors: { 400: INVALID_REQUEST, 404: UNKNOWN_VERSION },
  },
  {
    method: 'get',
    path: '/api/v1/backtests/{id}',
    operationId: 'getBacktest',
    tag: 'protocols',
    summary: "A backtest's progress, and its result once done or cancelled",
    roles: LEADS,
    params: { id: z.uuid() },
    success: { 200: BacktestResponse },
    errors: { 400: INVALID_ID, 404: 'No such backtest.' },
  },
  {
    method: 'delete',
    path: '/api/v1/backtests/{id}',
    operationId: 'cancelBacktest',
    tag: 'protocols',
    summary: 'Cancel a running backtest',
    roles: LEADS,
    params: { id: z.uuid() },
    success: { 200: { schema: BacktestResponse, description: 'Cancellation requested.' } },
    errors: { 400: INVALID_ID, 404: 'No such backtest.', 409: 'The backtest is not running.' },
  },
  {
    method: 'get',
    path: '/api/v1/reports/alert-burden',
    operationId: 'getAlertBurden',
    tag: 'reports',
    summary: 'Alert burden per rule and programme over a period',
    description:
      'For tuning protocols: per rule and programme, alerts per patient-day (patient-days are the days each patient of the programme was ' +
      'enrolled within the period; a patient in two programmes counts in both, patients in none under "general"), the share acknowledged ' +
      "within the severity's target (high 30 min, medium 4 h, low 24 h: CLINICAL.md 4.3), the median minutes to acknowledge, and the " +
      "nurses' dispositions (with the share marked measurement error or no action needed). Aggregates only. Default period: the last 30 days.",
    roles: LEADS,
    query: AlertBurdenQuery,
    success: { 200: AlertBurdenResponse },
    errors: { 400: INVALID_REQUEST },
  },
];
