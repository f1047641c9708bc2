import { CreatePatientRequest, ObservationQuery, RegisterDeviceRequest } from './api';
import { AlertListQuery, ResolveAlertRequest, queueOfRule } from './worklist';

const patient = { mrn: 'MRN-1', name: 'Ada', timezone: 'America/New_York', programs: ['heart_failure'] };
const fieldsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((i) => i.path.join('.')) ?? [];

describe('HTTP contracts', () => {
  it('accepts a patient and defaults programs to none', () => {
    expect(CreatePatientRequest.parse(patient).programs).toEqual(['heart_failure']);
    expect(CreatePatientRequest.parse({ ...patient, programs: undefined }).programs).toEqual([]);
  });

  it('names each invalid patient field', () => {
    const result = CreatePatientRequest.safeParse({ mrn: ' ', name: 'Ada', timezone: 'Mars/Base', programs: ['x'], spo2Scale: 3 });
    expect(fieldsOf(result).sort()).toEqual(['mrn', 'programs.0', 'spo2Scale', 'timezone']);
  });

  it('requires a device id that can be an MQTT username and topic level', () => {
    const ok = { deviceId: 'bp-0001', patientId: '3f2b8c1e-5d4a-4e6b-9c7d-1a2b3c4d5e6f', kind: 'bp_cuff' };
    expect(RegisterDeviceRequest.safeParse(ok).success).toBe(true);
    expect(fieldsOf(RegisterDeviceRequest.safeParse({ ...ok, deviceId: 'rpm/#' }))).toEqual(['deviceId']);
    expect(fieldsOf(RegisterDeviceRequest.safeParse({ ...ok, kind: 'toaster' }))).toEqual(['kind']);
  });

  it('resolves with a disposition code (the configured list is checked by care-api), nothing else', () => {
    expect(ResolveAlertRequest.safeParse({ disposition: 'contacted_patient' }).success).toBe(true);
    expect(ResolveAlertRequest.safeParse({ disposition: 'referred_to_cardiology' }).success).toBe(true);
    expect(fieldsOf(ResolveAlertRequest.safeParse({ disposition: 'Went Home!' }))).toEqual(['disposition']);
    expect(fieldsOf(ResolveAlertRequest.safeParse({ disposition: 'no_action_needed', extra: 1 }))).toEqual(['']);
  });

  it('bounds the worklist page and coerces query strings', () => {
    expect(AlertListQuery.parse({ limit: '10' }).limit).toBe(10);
    expect(AlertListQuery.parse({}).limit).toBe(50);
    expect(fieldsOf(AlertListQuery.safeParse({ limit: '0' }))).toEqual(['limit']);
    expect(fieldsOf(AlertListQuery.safeParse({ status: 'closed' }))).toEqual(['status']);
  });

  it('checks an observation query: LOINC code, RFC 3339 range in order', () => {
    expect(ObservationQuery.safeParse({ code: '8480-6', from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00+01:00' }).success).toBe(true);
    expect(fieldsOf(ObservationQuery.safeParse({ code: 'systolic' }))).toEqual(['code']);
    expect(fieldsOf(ObservationQuery.safeParse({ from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' }))).toEqual(['from']);
  });
});

describe('worklist queues', () => {
  it('puts missing-data and data-quality rules in the adherence queue, every other rule in the clinical one', () => {
    expect(['AD-01', 'AD-03', 'DQ-01', 'HR-02', 'EW-01', 'HF-01', 'SP-05'].map(queueOfRule)).toEqual(['adherence', 'adherence', 'adherence', 'clinical', 'clinical', 'clinical', 'clinical']);
  });
});
