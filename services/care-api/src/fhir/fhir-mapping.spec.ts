import type { StoredObservation } from '@rpm/contracts';
import { FhirSchema } from '@rpm/testing';
import type { AlertEntity } from '../alerts/alert.entity';
import type { DeviceEntity } from '../devices/device.entity';
import type { PatientEntity } from '../patients/patient.entity';
import { capabilityStatement } from './capability-statement';
import { patientsOfFhirExchange } from './fhir-audit';
import { searchsetBundle } from './fhir-search';
import { readingsOf, toFhirObservation } from './observation-mapping';
import { operationOutcome } from './operation-outcome.filter';
import { toFhirDevice, toFhirPatient } from './registry-mapping';
import { toFhirFlag, toFhirTask } from './worklist-mapping';

const PATIENT = '0f8fad5b-d9cb-469f-a165-70867728950e';
const AT = '2026-11-27T13:00:05.000Z';
const schema = new FhirSchema();

const row = (overrides: Partial<StoredObservation>): StoredObservation => ({
  code: '8867-4',
  value: 72,
  unit: '/min',
  measuredAt: AT,
  deviceId: 'hub_01:kitchen',
  originalValue: 72,
  originalUnit: '/min',
  messageId: 'm-1',
  panelCode: '8867-4',
  ...overrides,
});

const anAlert = (overrides: Partial<AlertEntity>): AlertEntity =>
  ({
    id: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
    patientId: PATIENT,
    ruleId: 'SP-01',
    ruleSource: '[NEWS2-chart] [BTS17]',
    severity: 'high',
    status: 'open',
    summary: 'SpO2 91 % (confirmed)',
    raisedAt: new Date(AT),
    updatedAt: new Date(AT),
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    disposition: null,
    note: null,
    explanation: null,
    assignedTo: null,
    snoozedUntil: null,
    escalatedAt: null,
    returnedToNormalAt: null,
    acknowledgeBy: new Date('2026-11-27T13:30:05.000Z'),
    ...overrides,
  }) as AlertEntity;

describe('FHIR mappings, held to the official R4 JSON schema', () => {
  it('groups BP rows into one panel with systolic first, and keeps a kPa original on each component', () => {
    const bp = { panelCode: '85354-9', messageId: 'm-bp', originalUnit: 'kPa' };
    const rows = [row({ ...bp, code: '8462-4', value: 90.01, unit: 'mm[Hg]', originalValue: 12 }), row({ ...bp, code: '8480-6', value: 187.51, unit: 'mm[Hg]', originalValue: 25 }), row({})];
    const readings = readingsOf(PATIENT, rows);
    expect(readings.map((r) => r.pipelineId)).toEqual(['hub_01:kitchen/m-bp/blood_pressure', 'hub_01:kitchen/m-1/heart_rate']);
    const panel = toFhirObservation(readings[0]!, new Map([['8480-6', 'HH' as const]]));
    expect(schema.errorsOf(panel)).toEqual([]);
    expect(panel).toMatchObject({
      code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
      device: { reference: `Device/${toFhirDevice({ deviceId: 'hub_01:kitchen' } as DeviceEntity).id}` },
      interpretation: [{ coding: [{ code: 'HH' }] }],
      component: [
        { code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: 187.51, code: 'mm[Hg]' }, extension: [{ valueQuantity: { value: 25, unit: 'kPa', code: 'kPa' } }], interpretation: [{ coding: [{ code: 'HH' }] }] },
        { code: { coding: [{ code: '8462-4' }] }, valueQuantity: { value: 90.01 } },
      ],
    });
    expect(panel['valueQuantity']).toBeUndefined();
    expect((panel['component'] as Record<string, unknown>[])[1]!['interpretation']).toBeUndefined();
  });

  it('writes the hub answers and glucose as valid R4 too (survey, laboratory; no vital-signs profile)', () => {
    const rows = [
      row({ code: '67775-7', panelCode: '67775-7', value: 1, unit: '{ACVPU}', originalValue: 1, originalUnit: '{ACVPU}', messageId: 'c' }),
      row({ code: 'rpm-supplemental-oxygen', panelCode: 'rpm-supplemental-oxygen', value: 1, unit: '{yes/no}', originalValue: 1, originalUnit: '{yes/no}', messageId: 'o' }),
      row({ code: '3151-8', panelCode: 'rpm-supplemental-oxygen', value: 2, unit: 'L/min', originalValue: 2, originalUnit: 'L/min', messageId: 'o' }),
      row({ code: '41653-7', panelCode: '41653-7', value: 90.08, unit: 'mg/dL', originalValue: 5, originalUnit: 'mmol/L', messageId: 'g' }),
    ];
    const [consciousness, oxygen, glucose] = readingsOf(PATIENT, rows).map((r) => toFhirObservation(r, new Map()));
    for (const o of [consciousness, oxygen, glucose]) expect(schema.errorsOf(o)).toEqual([]);
    expect(consciousness).toMatchObject({ valueCodeableConcept: { text: 'confusion' }, category: [{ coding: [{ code: 'survey' }] }] });
    expect(oxygen).toMatchObject({ valueBoolean: true, component: [{ code: { coding: [{ code: '3151-8' }] }, valueQuantity: { value: 2, code: 'L/min' } }] });
    expect(glucose).toMatchObject({ category: [{ coding: [{ code: 'laboratory' }] }], extension: [{ valueQuantity: { value: 5, code: 'mmol/L' } }] });
  });

  it('leaves out rows of a vitals store that does not send the natural key', () => {
    expect(readingsOf(PATIENT, [row({ messageId: undefined })])).toEqual([]);
  });

  it('maps patients, devices, flags, tasks, bundles, errors and the CapabilityStatement to valid R4', () => {
    const patient = toFhirPatient({ id: PATIENT, mrn: 'MRN-1', name: 'Ada Example', createdAt: new Date(AT) } as PatientEntity);
    const device = toFhirDevice({ deviceId: 'cuff-1', patientId: PATIENT, kind: 'bp_cuff', revokedAt: new Date(AT) } as DeviceEntity);
    expect(device['status']).toBe('inactive');
    const open = anAlert({});
    const resolved = anAlert({ status: 'resolved', severity: 'medium', assignedTo: 'nurse-a', acknowledgedAt: new Date(AT), resolvedAt: new Date(AT), disposition: 'contacted_patient', note: 'Called.' });
    const flag = toFhirFlag(open, [`${PATIENT}.abc.0123456789abcdef`]);
    expect(flag).toMatchObject({ status: 'active', code: { coding: [{ code: 'SP-01' }] }, subject: { reference: `Patient/${PATIENT}` } });
    expect(toFhirFlag(resolved, [])).toMatchObject({ status: 'inactive', period: { end: AT } });
    expect(toFhirTask(open, [])).toMatchObject({ status: 'requested', priority: 'stat', focus: { reference: `Flag/${open.id}` } });
    expect(toFhirTask(anAlert({ assignedTo: 'nurse-a' }), [])).toMatchObject({ status: 'ready', owner: { identifier: { value: 'nurse-a' } } });
    expect(toFhirTask(anAlert({ status: 'acknowledged', acknowledgedBy: 'nurse-b', acknowledgedAt: new Date(AT) }), [])).toMatchObject({ status: 'in-progress', owner: { display: 'nurse-b' } });
    const task = toFhirTask(resolved, [`${PATIENT}.abc.0123456789abcdef`]);
    expect(task).toMatchObject({ status: 'completed', priority: 'urgent', output: [{ valueCodeableConcept: { coding: [{ code: 'contacted_patient' }] } }] });
    const bundle = searchsetBundle('http://127.0.0.1:3000/fhir/R4', [patient, device, flag, task], [{ relation: 'self', url: 'http://127.0.0.1:3000/fhir/R4/Flag' }], 4);
    for (const resource of [patient, device, flag, task, bundle, operationOutcome(404, 'Patient/x is not known'), capabilityStatement('http://127.0.0.1:3000/fhir/R4', AT)]) {
      expect({ type: resource.resourceType, errors: schema.errorsOf(resource) }).toEqual({ type: resource.resourceType, errors: [] });
    }
    // The audit trail finds every patient a Bundle carried.
    expect(patientsOfFhirExchange('/fhir/R4/Flag', {}, {}, bundle)).toEqual([PATIENT]);
  });

  it('audits a refused read or search by the patient it named', () => {
    expect(patientsOfFhirExchange('/fhir/R4/Patient/:id', { id: PATIENT }, {}, null)).toEqual([PATIENT]);
    expect(patientsOfFhirExchange('/fhir/R4/Observation/:id', { id: `${PATIENT}.mi0n9w1.0123456789abcdef` }, {}, null)).toEqual([PATIENT]);
    expect(patientsOfFhirExchange('/fhir/R4/Flag', {}, { patient: `Patient/${PATIENT}` }, null)).toEqual([PATIENT]);
    expect(patientsOfFhirExchange('/fhir/R4/Task/:id', { id: 'x' }, {}, null)).toEqual([]);
  });
});
