import type { ObservationV1 } from '@rpm/contracts';
import { FhirSchema } from '@rpm/testing';
import type { Repository } from 'typeorm';
import type { AlertEvidenceEntity } from '../../alerts/alert-evidence.entity';
import type { AlertEntity } from '../../alerts/alert.entity';
import type { DeviceEntity } from '../../devices/device.entity';
import type { PatientEntity } from '../../patients/patient.entity';
import type { FhirObservationsService } from '../fhir-observations.service';
import { EhrPushSources, ForeignRecordError, SourceUnavailableError } from './ehr-push-sources';

const PATIENT = '0f8fad5b-d9cb-469f-a165-70867728950e';
const schema = new FhirSchema();

const repo = <T extends object>(methods: Partial<Record<'findOneBy' | 'findBy' | 'find', (...args: unknown[]) => Promise<unknown>>>) => methods as unknown as Repository<T>;

const weight: ObservationV1 = {
  schema: 'rpm.observation.v1',
  observationId: 'scale-7/msg-1/body_weight',
  patientId: PATIENT,
  deviceId: 'scale-7',
  messageId: 'msg-1',
  type: 'body_weight',
  code: '29463-7',
  measuredAt: '2026-11-27T13:00:05.000Z',
  measuredAtOffset: '-05:00',
  receivedAt: '2026-11-27T13:00:06.000Z',
  components: [{ code: '29463-7', value: 83.23, unit: 'kg', originalValue: 183.5, originalUnit: 'lb' }],
};

function sources(options: { patient?: boolean; alert?: Partial<AlertEntity> | null; missing?: string[] } = {}) {
  const patient = { id: PATIENT, mrn: 'MRN-1', name: 'Ada', createdAt: new Date() } as PatientEntity;
  const device = { deviceId: 'scale-7', kind: 'scale', patientId: PATIENT, revokedAt: null } as DeviceEntity;
  const observations = {
    byNaturalKeys: async () => ({ found: [], missing: options.missing ?? [], deviceIds: [] }),
  } as unknown as FhirObservationsService;
  return new EhrPushSources(
    repo<PatientEntity>({ findOneBy: async () => (options.patient === false ? null : patient) }),
    repo<DeviceEntity>({ findBy: async () => [device] }),
    repo<AlertEntity>({ findOneBy: async () => (options.alert === undefined ? null : options.alert) }),
    repo<AlertEvidenceEntity>({ find: async () => [{ observationId: weight.observationId, measuredAt: new Date(weight.measuredAt) }] }),
    observations,
  );
}

describe('EHR push: the Bundles built from the pipeline', () => {
  it('pushes a reading on arrival (EHR_PUSH_OBSERVATIONS=all) as conditional creates, valid R4, with what the device sent', async () => {
    const bundle = await sources().observationBundle(weight);
    expect(schema.errorsOf(bundle)).toEqual([]);
    for (const e of bundle.entry) expect(schema.errorsOf(e.resource)).toEqual([]);
    expect(bundle.entry.map((e) => `${e.resource.resourceType} ${e.request.method} ${e.request.ifNoneExist}`)).toEqual([
      'Patient POST identifier=urn%3Arpm%3Apatient-mrn|MRN-1',
      'Device POST identifier=urn%3Arpm%3Adevice-id|scale-7',
      'Observation POST identifier=urn%3Arpm%3Aobservation-natural-key|scale-7%2Fmsg-1%2Fbody_weight',
    ]);
    const observation = bundle.entry[2]!.resource;
    expect(observation).toMatchObject({ valueQuantity: { value: 83.23, code: 'kg' }, extension: [{ valueQuantity: { value: 183.5, unit: 'lb' } }], device: { reference: bundle.entry[1]!.fullUrl } });
    expect(observation['interpretation']).toBeUndefined();
  });

  it('tells a record that is not ours (an unknown patient or alert: skipped) from a reading the vitals store does not hold yet (tried again)', async () => {
    await expect(sources({ patient: false }).observationBundle(weight)).rejects.toThrow(ForeignRecordError);
    const event = { alertId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427', type: 'acknowledged' } as Parameters<EhrPushSources['alertBundle']>[0];
    await expect(sources({ alert: null }).alertBundle(event)).rejects.toThrow(ForeignRecordError);
    const alert = { id: event.alertId, patientId: PATIENT } as AlertEntity;
    await expect(sources({ alert, missing: [weight.observationId] }).alertBundle(event)).rejects.toThrow(new SourceUnavailableError("1 of the alert's 1 readings are not in the vitals store"));
  });
});
