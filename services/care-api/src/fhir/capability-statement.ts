import { FHIR_JSON, FHIR_VERSION, type FhirResource } from './fhir-types';

interface SearchParam {
  readonly name: string;
  readonly type: 'token' | 'reference' | 'date' | 'string' | 'number';
  readonly documentation: string;
}

const COUNT: SearchParam = { name: '_count', type: 'number', documentation: 'Page size, 1 to 500 (default 50).' };
const PATIENT: SearchParam = {
  name: 'patient',
  type: 'reference',
  documentation: 'Patient/{id} or {id}; `subject` is the same. A patient outside your care teams is a 404.',
};

/** What each resource type supports: read, search-type, and these parameters (docs/fhir.md). */
export const FHIR_RESOURCES: readonly { readonly type: string; readonly profile?: string; readonly params: readonly SearchParam[] }[] = [
  {
    type: 'Patient',
    params: [
      { name: '_id', type: 'token', documentation: 'The patient id.' },
      { name: 'identifier', type: 'token', documentation: 'The MRN (`urn:rpm:patient-mrn|{mrn}` or `{mrn}`).' },
      { name: 'name', type: 'string', documentation: 'Start of a word of the name, any case.' },
      COUNT,
    ],
  },
  { type: 'Device', params: [PATIENT, COUNT] },
  {
    type: 'Observation',
    profile: 'http://hl7.org/fhir/StructureDefinition/vitalsigns',
    params: [
      { ...PATIENT, documentation: `${PATIENT.documentation} Required: the time series is kept per patient.` },
      { name: 'code', type: 'token', documentation: 'LOINC code(s), comma-separated, `system|code` or `code` (2708-6 and 59408-5 both find SpO2).' },
      { name: 'date', type: 'date', documentation: 'effectiveDateTime; prefixes eq (none), ge, gt, le, lt; repeat for a range.' },
      COUNT,
    ],
  },
  { type: 'Flag', params: [PATIENT, { name: 'status', type: 'token', documentation: 'active (open or acknowledged) or inactive (resolved).' }, COUNT] },
  {
    type: 'Task',
    params: [PATIENT, { name: 'status', type: 'token', documentation: 'requested, ready, in-progress or completed.' }, COUNT],
  },
];

/** GET /fhir/R4/metadata: the server's CapabilityStatement (public, as FHIR expects). */
export function capabilityStatement(base: string, date: string): FhirResource {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    publisher: 'RPM pipeline',
    kind: 'instance',
    software: { name: 'rpm care-api' },
    implementation: { description: 'Read-only FHIR R4 API of the remote patient monitoring pipeline', url: base },
    fhirVersion: FHIR_VERSION,
    format: [FHIR_JSON, 'json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: false,
          description:
            'Authorization: Bearer <JWT>, the same tokens and roles as /api/v1 (admin, clinical_lead, nurse). A nurse sees only the patients of her care teams; anything else is a 404. Every request is audited.',
        },
        resource: FHIR_RESOURCES.map((r) => ({
          type: r.type,
          ...(r.profile ? { profile: r.profile } : {}),
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          searchParam: r.params.map((p) => ({ ...p })),
        })),
      },
    ],
  };
}
