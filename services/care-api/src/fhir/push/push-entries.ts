import type { FhirResource } from '../fhir-types';
import type { BusinessIdentifier, PushEntry } from './transaction-bundle';

/** The business identifier every mapper writes first (MRN, deviceId, natural key, alert id). */
export function identifierOf(resource: FhirResource): BusinessIdentifier {
  const first = (resource['identifier'] as { system?: string; value?: string }[] | undefined)?.[0];
  if (!first?.system || !first.value) throw new Error(`${resource.resourceType} has no business identifier to push it by`);
  return { system: first.system, value: first.value };
}

const entry = (resource: FhirResource, method: PushEntry['method']): PushEntry => ({ resource, method, identifier: identifierOf(resource) });

/** A Device bound to another patient now (rebound since the reading): its `patient` is not this Bundle's, so it is left out. */
function deviceFor(device: FhirResource, patientId: string): FhirResource {
  const { patient, ...rest } = device;
  return (patient as { reference?: string } | undefined)?.reference === `Patient/${patientId}` ? device : rest;
}

/** A reading's Device when the registry still has it; the Observation loses its `device` reference otherwise. */
function observationFor(observation: FhirResource, deviceIds: ReadonlySet<string>): FhirResource {
  const ref = (observation['device'] as { reference?: string } | undefined)?.reference;
  if (!ref || deviceIds.has(ref)) return observation;
  const { device: _device, ...rest } = observation;
  return rest;
}

export interface PushParts {
  readonly patient: FhirResource;
  readonly devices: readonly FhirResource[];
  readonly observations: readonly FhirResource[];
}

/**
 * The entries every Bundle starts with: the patient and the devices as conditional creates (by MRN and
 * deviceId: a receiver that already knows them keeps its own), then the Observations, created or updated.
 */
function common(parts: PushParts, observationMethod: PushEntry['method']): PushEntry[] {
  const patientId = parts.patient.id!;
  const devices = parts.devices.map((d) => deviceFor(d, patientId));
  const deviceRefs = new Set(devices.map((d) => `Device/${d.id}`));
  return [
    entry(parts.patient, 'create'),
    ...devices.map((d) => entry(d, 'create')),
    ...parts.observations.map((o) => entry(observationFor(o, deviceRefs), observationMethod)),
  ];
}

/**
 * An alert change (ADR 0012): the Flag and the Task as the worklist holds them now, with the readings
 * behind the alert. The event that raised the alert creates them (conditional create); every later event
 * replaces them (conditional update). The readings are updated each time, so their interpretation follows
 * the alert's current severity (a recheck confirmed: H becomes HH).
 */
export function alertPushEntries(parts: PushParts & { readonly flag: FhirResource; readonly task: FhirResource; readonly raised: boolean }): PushEntry[] {
  const method = parts.raised ? 'create' : 'update';
  return [...common(parts, 'update'), entry(parts.flag, method), entry(parts.task, method)];
}

/** A reading pushed as it arrives (EHR_PUSH_OBSERVATIONS=all): a conditional create, which never overwrites what an alert push wrote. */
export function observationPushEntries(parts: PushParts): PushEntry[] {
  return common(parts, 'create');
}
