import type { StoredObservation } from '@rpm/contracts';
import { FhirSchema, FhirTestServer, parseIdentifierQuery } from '@rpm/testing';
import type { AlertEntity } from '../../alerts/alert.entity';
import type { DeviceEntity } from '../../devices/device.entity';
import type { PatientEntity } from '../../patients/patient.entity';
import { readingsOf, toFhirObservation } from '../observation-mapping';
import { toFhirDevice, toFhirPatient } from '../registry-mapping';
import { toFhirFlag, toFhirTask } from '../worklist-mapping';
import { alertPushEntries, observationPushEntries } from './push-entries';
import { identifierQuery, stableUuid, transactionBundle } from './transaction-bundle';

const PATIENT = '0f8fad5b-d9cb-469f-a165-70867728950e';
const ALERT = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
const AT = '2026-11-27T13:00:05.000Z';
const schema = new FhirSchema();

const patient = toFhirPatient({ id: PATIENT, mrn: 'MRN|7,$', name: 'Ada Lovelace', createdAt: new Date(AT) } as PatientEntity);
const device = toFhirDevice({ deviceId: 'hub_01:kitchen', kind: 'hub', patientId: PATIENT, revokedAt: null } as DeviceEntity);
const bpRows: StoredObservation[] = [
  { code: '8480-6', value: 185, unit: 'mm[Hg]', measuredAt: AT, deviceId: 'hub_01:kitchen', originalValue: 185, originalUnit: 'mmHg', messageId: 'm&1=|x', panelCode: '85354-9' },
  { code: '8462-4', value: 95, unit: 'mm[Hg]', measuredAt: AT, deviceId: 'hub_01:kitchen', originalValue: 95, originalUnit: 'mmHg', messageId: 'm&1=|x', panelCode: '85354-9' },
];
const reading = readingsOf(PATIENT, bpRows)[0]!;
const observation = toFhirObservation(reading, new Map([['8480-6', 'H' as const]]));
const alert = {
  id: ALERT,
  patientId: PATIENT,
  ruleId: 'BP-01',
  ruleSource: '[AHA-2017]',
  severity: 'medium',
  status: 'acknowledged',
  summary: 'BP 185/95',
  raisedAt: new Date(AT),
  updatedAt: new Date('2026-11-27T13:10:00.000Z'),
  acknowledgedAt: new Date('2026-11-27T13:10:00.000Z'),
  acknowledgedBy: 'nurse-1',
  resolvedAt: null,
  disposition: null,
  note: null,
  explanation: null,
  assignedTo: null,
  snoozedUntil: null,
  escalatedAt: null,
  returnedToNormalAt: null,
  acknowledgeBy: new Date('2026-11-27T17:00:05.000Z'),
} as unknown as AlertEntity;
const flag = toFhirFlag(alert, [observation.id!]);
const task = toFhirTask(alert, [observation.id!]);

describe('EHR push: transaction Bundles (pure)', () => {
  const raisedBundle = transactionBundle(alertPushEntries({ patient, devices: [device], observations: [observation], flag, task, raised: true }));
  const laterBundle = transactionBundle(alertPushEntries({ patient, devices: [device], observations: [observation], flag, task, raised: false }));

  it('is valid R4: the Bundle and every resource in it', () => {
    for (const bundle of [raisedBundle, laterBundle]) {
      expect(schema.errorsOf(bundle)).toEqual([]);
      for (const e of bundle.entry) expect({ type: e.resource.resourceType, errors: schema.errorsOf(e.resource) }).toEqual({ type: e.resource.resourceType, errors: [] });
    }
  });

  it('creates the patient and device conditionally, updates the readings, and creates the Flag and Task only on the raising event', () => {
    const requests = (b: typeof raisedBundle) => b.entry.map((e) => [e.resource.resourceType, e.request.method]);
    expect(requests(raisedBundle)).toEqual([['Patient', 'POST'], ['Device', 'POST'], ['Observation', 'PUT'], ['Flag', 'POST'], ['Task', 'POST']]);
    expect(requests(laterBundle)).toEqual([['Patient', 'POST'], ['Device', 'POST'], ['Observation', 'PUT'], ['Flag', 'PUT'], ['Task', 'PUT']]);
    expect(raisedBundle.entry[3]!.request).toEqual({ method: 'POST', url: 'Flag', ifNoneExist: `identifier=urn%3Arpm%3Aalert-id|${ALERT}` });
    expect(laterBundle.entry[3]!.request).toEqual({ method: 'PUT', url: `Flag?identifier=urn%3Arpm%3Aalert-id|${ALERT}` });
  });

  it('escapes the identifier value (FHIR search escapes, then URL encoding) so the query names exactly that value', () => {
    const q = identifierQuery({ system: 'urn:rpm:patient-mrn', value: 'MRN|7,$' });
    expect(q).toBe('identifier=urn%3Arpm%3Apatient-mrn|MRN%5C%7C7%5C%2C%5C%24');
    expect(parseIdentifierQuery(q)).toEqual({ system: 'urn:rpm:patient-mrn', value: 'MRN|7,$' });
    const obs = raisedBundle.entry[2]!.request.url;
    expect(parseIdentifierQuery(obs.slice('Observation?'.length))).toEqual({ system: 'urn:rpm:observation-natural-key', value: 'hub_01:kitchen/m&1=|x/blood_pressure' });
  });

  it('drops our ids and meta.lastUpdated, keeps the profiles, and points every reference at the fullUrl of its entry', () => {
    const byType = Object.fromEntries(raisedBundle.entry.map((e) => [e.resource.resourceType, e]));
    for (const e of raisedBundle.entry) {
      expect(e.resource.id).toBeUndefined();
      expect((e.resource['meta'] as { lastUpdated?: string } | undefined)?.lastUpdated).toBeUndefined();
      expect(e.fullUrl).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(byType['Observation']!.resource['meta']).toEqual({ profile: expect.arrayContaining(['http://hl7.org/fhir/StructureDefinition/bp']) });
    const refs = JSON.stringify(raisedBundle).match(/"reference":"[^"]*"/g)!;
    expect(refs.every((r) => r.includes('urn:uuid:'))).toBe(true);
    expect(byType['Observation']!.resource['subject']).toEqual({ reference: byType['Patient']!.fullUrl });
    expect(byType['Observation']!.resource['device']).toEqual({ reference: byType['Device']!.fullUrl });
    expect(byType['Task']!.resource['focus']).toEqual({ reference: byType['Flag']!.fullUrl });
    expect((byType['Flag']!.resource['extension'] as { valueReference?: unknown }[])[1]!.valueReference).toEqual({ reference: byType['Observation']!.fullUrl });
  });

  it('is the same Bundle on every try (stable fullUrls), and a different one for another resource', () => {
    const again = transactionBundle(alertPushEntries({ patient, devices: [device], observations: [observation], flag, task, raised: true }));
    expect(JSON.stringify(again)).toBe(JSON.stringify(raisedBundle));
    expect(stableUuid('Flag|urn:rpm:alert-id|a')).not.toBe(stableUuid('Task|urn:rpm:alert-id|a'));
  });

  it('refuses a reference to a resource that is not in the Bundle, and leaves out a device now bound to someone else', () => {
    expect(() => transactionBundle(alertPushEntries({ patient, devices: [device], observations: [], flag, task, raised: true }))).toThrow(/Flag.extension\[1\].valueReference.reference names Observation/);
    const rebound = toFhirDevice({ deviceId: 'hub_01:kitchen', kind: 'hub', patientId: 'a0000000-0000-4000-8000-000000000000', revokedAt: null } as DeviceEntity);
    const bundle = transactionBundle(observationPushEntries({ patient, devices: [rebound], observations: [observation] }));
    expect(bundle.entry[1]!.resource['patient']).toBeUndefined();
    expect(bundle.entry.map((e) => [e.resource.resourceType, e.request.method])).toEqual([['Patient', 'POST'], ['Device', 'POST'], ['Observation', 'POST']]);
    const withoutDevice = transactionBundle(observationPushEntries({ patient, devices: [], observations: [observation] }));
    expect(withoutDevice.entry[1]!.resource['device']).toBeUndefined();
  });

  describe('against the test FHIR server', () => {
    const server = new FhirTestServer();
    beforeAll(() => server.start());
    afterAll(() => server.stop());
    const post = async (body: unknown) => {
      const res = await fetch(server.baseUrl, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as { entry?: { response: { status: string } }[] } };
    };

    it('creates once, answers 200 to the same Bundle again, updates with a later one, and resolves the references', async () => {
      const first = await post(raisedBundle);
      expect(first.status).toBe(200);
      expect(first.body.entry!.map((e) => e.response.status)).toEqual(['201 Created', '201 Created', '201 Created', '201 Created', '201 Created']);
      const retry = await post(raisedBundle);
      expect(retry.body.entry!.map((e) => e.response.status)).toEqual(['200 OK', '200 OK', '200 OK', '200 OK', '200 OK']);
      await post(laterBundle);
      for (const type of ['Patient', 'Device', 'Observation', 'Flag', 'Task']) expect({ type, n: server.all(type).length }).toEqual({ type, n: 1 });
      const storedTask = server.all('Task')[0]!;
      expect(storedTask.version).toBe(2);
      expect(storedTask.resource['focus']).toEqual({ reference: `Flag/${server.all('Flag')[0]!.resource.id}` });
      expect(server.all('Observation')[0]!.resource['subject']).toEqual({ reference: `Patient/${server.all('Patient')[0]!.resource.id}` });
    });

    it('fails on demand: a status with Retry-After, an OperationOutcome, and a commit whose answer is lost', async () => {
      server.failNext(1, { status: 429, retryAfter: '2' });
      const res = await fetch(server.baseUrl, { method: 'POST', body: JSON.stringify(laterBundle) });
      expect([res.status, res.headers.get('retry-after')]).toEqual([429, '2']);
      server.failNext(1, { status: 400, diagnostics: 'Flag.code: unknown system' });
      expect(await post(laterBundle)).toMatchObject({ status: 400, body: { resourceType: 'OperationOutcome', issue: [{ diagnostics: 'Flag.code: unknown system' }] } });
      server.failNext(1, { status: 503, afterCommit: true });
      expect((await post(laterBundle)).status).toBe(503);
      expect(server.all('Task')[0]!.version).toBe(3);
    });
  });
});
