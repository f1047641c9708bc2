import { parseObservationFhirId } from './fhir-ids';

/**
 * The patients a FHIR answer carried, for the audit trail (one row per patient, as for /api/v1):
 * a Patient's id, the subject, patient or for reference of anything else, through a Bundle's entries.
 * An error carries none, so then the patient the request named: the Patient or Observation read
 * (an Observation id starts with its patient) or the `patient`/`subject` searched.
 */
export function patientsOfFhirExchange(
  routePath: string,
  params: Record<string, string | undefined>,
  query: Record<string, unknown>,
  body: unknown,
): string[] {
  const found = new Set<string>();
  const take = (resource: unknown) => {
    if (!resource || typeof resource !== 'object') return;
    const r = resource as Record<string, unknown>;
    if (r['resourceType'] === 'Patient' && typeof r['id'] === 'string') found.add(r['id']);
    for (const element of ['subject', 'patient', 'for']) {
      const reference = (r[element] as { reference?: unknown } | undefined)?.reference;
      if (typeof reference === 'string' && reference.startsWith('Patient/')) found.add(reference.slice('Patient/'.length));
    }
  };
  if (body && typeof body === 'object' && (body as { resourceType?: unknown }).resourceType === 'Bundle') {
    for (const entry of ((body as { entry?: { resource?: unknown }[] }).entry ?? [])) take(entry.resource);
  } else {
    take(body);
  }
  if (found.size > 0) return [...found];
  const id = params['id'];
  if (id && routePath.endsWith('/Patient/:id')) found.add(id);
  if (id && routePath.endsWith('/Observation/:id')) {
    const parts = parseObservationFhirId(id);
    if (parts) found.add(parts.patientId);
  }
  for (const name of ['patient', 'subject']) {
    const value = query[name];
    if (typeof value === 'string') found.add(value.replace(/^Patient\//, ''));
  }
  return [...found];
}
