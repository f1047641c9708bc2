import { deviceFhirId, deviceLookupOf, FHIR_ID, observationFhirId, parseObservationFhirId } from './fhir-ids';

const PATIENT = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('FHIR ids', () => {
  it('names an Observation by patient, second and natural key: stable, FHIR-valid, and parsed back', () => {
    const id = observationFhirId(PATIENT, '2026-11-27T13:00:05.250Z', 'hub_1:a/message/with/slashes and spaces/blood_pressure');
    expect(id).toMatch(FHIR_ID);
    expect(id.length).toBeLessThanOrEqual(64);
    expect(observationFhirId(PATIENT, '2026-11-27T13:00:05.999Z', 'hub_1:a/message/with/slashes and spaces/blood_pressure')).toBe(id);
    expect(observationFhirId(PATIENT, '2026-11-27T13:00:05.250Z', 'hub_1:a/other/blood_pressure')).not.toBe(id);
    expect(parseObservationFhirId(id)).toEqual({ patientId: PATIENT, measuredFrom: new Date('2026-11-27T13:00:05.000Z') });
  });

  it('refuses ids it never issued', () => {
    expect(parseObservationFhirId('not-an-id')).toBeNull();
    expect(parseObservationFhirId(`${PATIENT}.zzzzzzzzzz.0123456789abcdef`)).toBeNull();
  });

  it('keeps a FHIR-safe deviceId and hashes the others, and finds either', () => {
    expect(deviceFhirId('bp-cuff.42')).toBe('bp-cuff.42');
    const hashed = deviceFhirId('hub_01:kitchen');
    expect(hashed).toMatch(/^sha-[0-9a-f]{40}$/);
    expect(deviceLookupOf(hashed)).toEqual({ sha256Prefix: hashed.slice(4) });
    expect(deviceLookupOf('bp-cuff.42')).toEqual({ deviceId: 'bp-cuff.42' });
  });
});
