import * as contracts from '@rpm/contracts';
import { buildOpenApiDocument, type OpenApiDocument, type OpenApiInfo } from './openapi-document';
import type { RouteSpec } from './route-spec';
import { ADMIN_ROUTES } from './routes/admin.routes';
import { BILLING_ROUTES } from './routes/billing.routes';
import { DEVICE_ROUTES } from './routes/devices.routes';
import { FHIR_ROUTES } from './routes/fhir.routes';
import { OPERATIONS_ROUTES } from './routes/operations.routes';
import { PATIENT_ROUTES } from './routes/patients.routes';
import { PROTOCOL_ROUTES } from './routes/protocols.routes';
import { WORKLIST_ROUTES } from './routes/worklist.routes';

/** Every route care-api serves; the route check at startup holds the controllers to it. */
export const CARE_API_ROUTES: readonly RouteSpec[] = [...PATIENT_ROUTES, ...DEVICE_ROUTES, ...WORKLIST_ROUTES, ...PROTOCOL_ROUTES, ...BILLING_ROUTES, ...ADMIN_ROUTES, ...FHIR_ROUTES, ...OPERATIONS_ROUTES];

const CARE_API_INFO: OpenApiInfo = {
  title: 'RPM care-api',
  version: '1.0.0',
  description: [
    'The registry (patients, devices), the nurse worklist and the protocols of the RPM pipeline.',
    '',
    'Generated from the zod contracts of `libs/contracts` (what the service parses and returns) and the route table of ' +
      '`services/care-api/src/openapi/` (`npm run openapi` writes docs/openapi.json; care-api serves it at /api/docs). ' +
      'Request schemas are what the service accepts (defaults applied by the service are optional); response schemas are what it sends.',
    '',
    '**Authentication.** Every `/api/v1` route needs `Authorization: Bearer <JWT>`. Claims: `sub`, `role` ' +
      '(`admin` | `clinical_lead` | `nurse`), `careTeams` (string array, used for nurses). With `AUTH_MODE=dev` tokens are HS256, ' +
      'signed with `JWT_SECRET`, issuer `rpm-local-dev`, audience `rpm-care-api` (`npm run token -- --role nurse`). With ' +
      '`AUTH_MODE=oidc` they are RS256/ES256, verified against `OIDC_JWKS_URI` with issuer `OIDC_ISSUER` and audience ' +
      '`OIDC_AUDIENCE`. A missing or invalid token gives 401; a role the route does not allow gives 403. Each operation lists its ' +
      'roles in `x-roles`.',
    '',
    "**Care-team scope.** A `nurse` sees only patients whose `careTeamId` is in her token's `careTeams` claim; anything else " +
      'answers 404, as if it did not exist. `admin` and `clinical_lead` see every patient.',
    '',
    '**Audit.** Every request to a guarded route writes an audit row (actor, role, action, patient id, status), allowed or refused.',
    '',
    '**Errors.** Every documented 4xx and 5xx has the shape of `ApiError` (an unexpected 500 is Nest\'s default `{statusCode, message}`). ' +
      'Validation failures of a body or query (400) list each field in `issues`.',
  ].join('\n'),
  tags: [
    { name: 'patients', description: 'Enrolment and the patient protocol (published to rpm.rules.config.v1).' },
    { name: 'observations', description: 'The stored time series (from the vitals-store).' },
    { name: 'devices', description: 'Device registration (MQTT credentials) and binding history: which patient a device reported for, when.' },
    { name: 'dead-letters', description: 'Readings the pipeline refused or quarantined, with their raw payload; replay once the cause is fixed.' },
    { name: 'alerts', description: 'The nurse worklist, the alert lifecycle and dispositions.' },
    { name: 'protocols', description: 'Programme protocols, their versions and backtests.' },
    { name: 'reports', description: 'Aggregates for tuning protocols.' },
    { name: 'billing', description: 'RPM billing: data days per 30-day period (CPT 99454 / 99445) and the monthly export.' },
    { name: 'care-teams', description: 'Care teams, their members and escalation contacts.' },
    { name: 'audit', description: 'The audit trail.' },
    { name: 'auth', description: 'The caller.' },
    { name: 'fhir', description: 'Read-only FHIR R4 under /fhir/R4: Patient, Device, Observation (vital-signs profiles), Flag and Task; same tokens, care-team scope and audit; errors as OperationOutcome (docs/fhir.md).' },
    { name: 'operations', description: 'Liveness, readiness, metrics and this document (no token).' },
  ],
};

let built: OpenApiDocument | undefined;

/** Built once: the table and the contracts do not change while the process runs. */
export function careApiOpenApiDocument(): OpenApiDocument {
  built ??= buildOpenApiDocument(CARE_API_INFO, CARE_API_ROUTES, contracts);
  return built;
}

/** Where `npm run openapi` writes the document, from the workspace root. */
export const OPENAPI_JSON_FILE = 'docs/openapi.json';

/** The document as committed: two-space JSON with a final newline, so a diff shows what changed. */
export function careApiOpenApiJson(): string {
  return `${JSON.stringify(careApiOpenApiDocument(), null, 2)}\n`;
}
