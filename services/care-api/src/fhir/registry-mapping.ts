import type { DeviceEntity } from '../devices/device.entity';
import type { PatientEntity } from '../patients/patient.entity';
import { deviceFhirId } from './fhir-ids';
import { RPM_SYSTEMS, patientReference, type FhirResource } from './fhir-types';

/** A patient of the registry. Its name is one free-text string here, so it is HumanName.text. */
export function toFhirPatient(p: PatientEntity): FhirResource {
  return {
    resourceType: 'Patient',
    id: p.id,
    meta: { lastUpdated: p.createdAt.toISOString() },
    identifier: [{ use: 'usual', type: { text: 'Medical record number' }, system: RPM_SYSTEMS.mrn, value: p.mrn }],
    active: true,
    name: [{ text: p.name }],
  };
}

const DEVICE_KIND_TEXT: Readonly<Record<string, string>> = {
  bp_cuff: 'Blood pressure cuff',
  scale: 'Weighing scale',
  pulse_oximeter: 'Pulse oximeter',
  glucometer: 'Glucometer',
  thermometer: 'Thermometer',
  wearable: 'Wearable',
  hub: 'Home hub',
};

/** A registered device: active until revoked, with the patient it is bound to now. */
export function toFhirDevice(d: DeviceEntity): FhirResource {
  return {
    resourceType: 'Device',
    id: deviceFhirId(d.deviceId),
    identifier: [{ system: RPM_SYSTEMS.deviceId, value: d.deviceId }],
    status: d.revokedAt ? 'inactive' : 'active',
    deviceName: [{ name: d.deviceId, type: 'user-friendly-name' }],
    type: { coding: [{ system: RPM_SYSTEMS.deviceKind, code: d.kind, display: DEVICE_KIND_TEXT[d.kind] ?? d.kind }], text: DEVICE_KIND_TEXT[d.kind] ?? d.kind },
    patient: patientReference(d.patientId),
  };
}
