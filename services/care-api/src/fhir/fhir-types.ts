/** The few FHIR R4 datatypes this API writes (the official JSON schema in the tests holds them to R4). */

export const FHIR_JSON = 'application/fhir+json';
export const FHIR_JSON_UTF8 = `${FHIR_JSON}; charset=utf-8`;
export const FHIR_VERSION = '4.0.1';

export const LOINC_SYSTEM = 'http://loinc.org';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
export const INTERPRETATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
export const OBSERVATION_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';

/** Our own code systems and identifiers: URNs, since nothing resolves them. */
export const RPM_SYSTEMS = {
  mrn: 'urn:rpm:patient-mrn',
  deviceId: 'urn:rpm:device-id',
  deviceKind: 'urn:rpm:device-kind',
  rule: 'urn:rpm:alert-rule',
  alertId: 'urn:rpm:alert-id',
  user: 'urn:rpm:user',
  disposition: 'urn:rpm:disposition',
  localCode: 'urn:rpm:observation-code',
} as const;

/** Extension carrying what the device sent, before conversion to the canonical UCUM unit (docs/fhir.md). */
export const ORIGINAL_QUANTITY_EXTENSION = 'urn:rpm:fhir:StructureDefinition:original-quantity';

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}
export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}
export interface Quantity {
  value: number;
  unit?: string;
  system?: string;
  code?: string;
}
export interface Reference {
  reference?: string;
  display?: string;
  identifier?: { system: string; value: string };
}
export interface Extension {
  url: string;
  valueQuantity?: Quantity;
  valueReference?: Reference;
  valueCodeableConcept?: CodeableConcept;
}

/** Any resource: resourceType and id, the rest as the mappers build it. */
export interface FhirResource {
  resourceType: string;
  id?: string;
  [element: string]: unknown;
}

export interface BundleLink {
  relation: 'self' | 'next' | 'previous';
  url: string;
}

export interface Bundle extends FhirResource {
  resourceType: 'Bundle';
  type: 'searchset';
  total?: number;
  link: BundleLink[];
  entry: { fullUrl: string; resource: FhirResource; search: { mode: 'match' } }[];
}

export const patientReference = (patientId: string): Reference => ({ reference: `Patient/${patientId}` });
