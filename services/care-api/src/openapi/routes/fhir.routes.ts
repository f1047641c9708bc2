import { z } from 'zod';
import { ANY_CARE_ROLE, NOT_VISIBLE, type RouteSpec } from '../route-spec';

/**
 * The FHIR R4 API (docs/fhir.md). Its bodies are FHIR resources, held to the official R4 JSON schema
 * by the tests (test/fhir.e2e-spec.ts); here each is named by its resourceType, with a link to its definition.
 */
const FHIR_JSON = 'application/fhir+json';

const resource = (type: string) =>
  z.looseObject({ resourceType: z.literal(type), id: z.string().optional() }).meta({ description: `A FHIR R4 ${type} (hl7.org/fhir/R4/${type.toLowerCase()}.html)` });

const OperationOutcome = z
  .looseObject({
    resourceType: z.literal('OperationOutcome'),
    issue: z.array(z.object({ severity: z.enum(['fatal', 'error']), code: z.string(), diagnostics: z.string() })),
  })
  .meta({ description: 'A FHIR R4 OperationOutcome (hl7.org/fhir/R4/operationoutcome.html)' });

const FhirId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/).meta({ description: 'A FHIR id' });
const Count = z.string().optional().meta({ description: 'Page size, 1 to 500 (default 50)' });
const Offset = z.string().optional().meta({ description: 'Paging: set by the Bundle next/previous links' });
const PatientParam = z.string().optional().meta({ description: 'Patient/{id} or {id}; a patient outside your care teams is a 404' });

const SEARCH_REFUSED = 'A search parameter is invalid (a date, _count, status, or a paging token).';

function fhirRoutes(type: string, operation: string, query: z.ZodObject, summary: string, extraErrors: RouteSpec['errors'] = {}): RouteSpec[] {
  const common = { tag: 'fhir', roles: ANY_CARE_ROLE, errorBody: { schema: OperationOutcome, contentType: FHIR_JSON } } as const;
  return [
    {
      ...common,
      method: 'get',
      path: `/fhir/R4/${type}`,
      operationId: `search${operation}`,
      summary: `Search ${summary}: a searchset Bundle with self and next links`,
      query,
      success: { 200: { schema: resource('Bundle'), contentType: FHIR_JSON, description: `A searchset Bundle of ${type} resources.` } },
      errors: { 400: SEARCH_REFUSED, ...extraErrors },
    },
    {
      ...common,
      method: 'get',
      path: `/fhir/R4/${type}/{id}`,
      operationId: `read${operation}`,
      summary: `Read one ${type}`,
      params: { id: FhirId },
      success: { 200: { schema: resource(type), contentType: FHIR_JSON, description: `The ${type}.` } },
      errors: { 404: NOT_VISIBLE, ...(type === 'Observation' ? { 502: 'The vitals store is unreachable.' } : {}) },
    },
  ];
}

export const FHIR_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/fhir/R4/metadata',
    operationId: 'fhirCapabilityStatement',
    tag: 'fhir',
    summary: "The FHIR server's CapabilityStatement (no token: it holds no data)",
    roles: 'public',
    success: { 200: { schema: resource('CapabilityStatement'), contentType: FHIR_JSON, description: 'Resources, interactions and search parameters.' } },
  },
  ...fhirRoutes(
    'Patient',
    'FhirPatients',
    z.object({ _id: z.string().optional(), identifier: z.string().optional(), name: z.string().optional(), _count: Count, _offset: Offset }),
    "patients (a nurse's care teams only)",
  ),
  ...fhirRoutes('Device', 'FhirDevices', z.object({ patient: PatientParam, _count: Count, _offset: Offset }), 'devices', { 404: NOT_VISIBLE }),
  ...fhirRoutes(
    'Observation',
    'FhirObservations',
    z.object({
      patient: z.string().meta({ description: 'Required (or `subject`): Patient/{id} or {id}' }),
      code: z.string().optional().meta({ description: 'LOINC code(s), comma-separated' }),
      date: z.string().optional().meta({ description: 'effectiveDateTime with prefix eq, ge, gt, le or lt; repeat for a range' }),
      _count: Count,
      _cursor: Offset,
    }),
    "a patient's vital signs from the vitals store",
    { 404: NOT_VISIBLE, 502: 'The vitals store is unreachable.' },
  ),
  ...fhirRoutes(
    'Flag',
    'FhirFlags',
    z.object({ patient: PatientParam, status: z.enum(['active', 'inactive']).optional(), _count: Count, _offset: Offset }),
    'alerts as flags',
    { 404: NOT_VISIBLE },
  ),
  ...fhirRoutes(
    'Task',
    'FhirTasks',
    z.object({ patient: PatientParam, status: z.string().optional().meta({ description: 'requested, ready, in-progress, completed (comma-separated)' }), _count: Count, _offset: Offset }),
    'worklist items as tasks',
    { 404: NOT_VISIBLE },
  ),
];
