import { signDevToken } from '@rpm/service-kit';
import { FhirSchema, pollUntil, publishReading, type ApiResult } from '@rpm/testing';
import type { AlertListResponse, AuditListResponse } from '@rpm/contracts';
import { deviceMessage, PipelineHarness } from './pipeline-harness';

type Resource = { resourceType: string; id?: string; [element: string]: unknown };
type Bundle = Resource & { type: string; total?: number; link: { relation: string; url: string }[]; entry?: { fullUrl: string; resource: Resource }[] };
type Coding = { system?: string; code?: string };
type Quantity = { value: number; unit: string; system: string; code: string };

const MINUTE = 60_000;

/**
 * Issue 9, section 1: readings published over MQTT by a home hub, judged by the rules engine, read
 * back through /fhir/R4. Every resource and Bundle is held to HL7's official R4 JSON schema.
 */
describe('FHIR R4 API end to end', () => {
  const harness = new PipelineHarness({}, { ports: { 'care-api': 13500, 'ingest-gateway': 13501, 'rules-engine': 13502, 'vitals-store': 13503 } });
  const schema = new FhirSchema();
  // Bearer tokens of the callers (null: none); fetch directly, since the answer's content type is under test too.
  const nurse = signDevToken({ sub: 'e2e-nurse', role: 'nurse', careTeams: [harness.careTeam] }, harness.local.JWT_SECRET);
  const otherNurse = signDevToken({ sub: 'e2e-other-nurse', role: 'nurse', careTeams: ['elsewhere'] }, harness.local.JWT_SECRET);
  const anonymous = null;
  const now = Date.now();
  const at = (minutesAgo: number) => new Date(now - minutesAgo * MINUTE);
  let patientId = '';
  let deviceId = '';
  let observations: Resource[] = [];

  /** A FHIR answer: its status, fhir+json, and (for any body) valid R4. */
  async function fhirGet<T = Resource>(token: string | null, path: string, status = 200): Promise<T> {
    const res = await fetch(new URL(path, harness.apiUrl), { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const body = (await res.json()) as Resource;
    expect({ path, status: res.status, type: res.headers.get('content-type') }).toEqual({ path, status, type: 'application/fhir+json; charset=utf-8' });
    expect({ path, errors: schema.errorsOf(body) }).toEqual({ path, errors: [] });
    for (const entry of (body as Bundle).entry ?? []) expect({ path, id: entry.resource.id, errors: schema.errorsOf(entry.resource) }).toEqual({ path, id: entry.resource.id, errors: [] });
    return body as T;
  }

  /** Every page of a search, following the next links. */
  async function searchAll(path: string): Promise<{ resources: Resource[]; pages: Bundle[] }> {
    const pages: Bundle[] = [];
    let url: string | undefined = path;
    while (url) {
      const page: Bundle = await fhirGet<Bundle>(nurse, url);
      expect(page).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
      expect(page.link.find((l) => l.relation === 'self')?.url).toMatch(/^http:\/\/127\.0\.0\.1:13500\/fhir\/R4\//);
      pages.push(page);
      url = page.link.find((l) => l.relation === 'next')?.url;
      expect(pages.length).toBeLessThan(20);
    }
    return { resources: pages.flatMap((p) => (p.entry ?? []).map((e) => e.resource)), pages };
  }

  const codesOf = (r: Resource): (string | undefined)[] => ((r['code'] as { coding: Coding[] }).coding ?? []).map((c) => c.code);
  const interpretationOf = (element: Record<string, unknown>): string | undefined => (element['interpretation'] as { coding: Coding[] }[] | undefined)?.[0]?.coding[0]?.code;
  const byCode = (code: string) => observations.filter((o) => codesOf(o).includes(code));

  beforeAll(async () => {
    // Before any HTTP connection exists: compiling blocks the event loop for seconds (see compile()).
    schema.compile(['CapabilityStatement', 'Patient', 'Device', 'Observation', 'Flag', 'Task', 'Bundle', 'OperationOutcome']);
    await harness.start();
    const { patient, registration, client, topic } = await harness.enrolledDevice([], 'hub');
    patientId = patient.id;
    deviceId = registration.deviceId;
    const send = async (readings: unknown[], measuredAt: Date) => expect(await publishReading(client, topic, deviceMessage(readings, measuredAt))).toBe(0);
    await send([{ type: 'blood_pressure', systolic: 185, diastolic: 95, unit: 'mmHg' }], at(30));
    await send([{ type: 'spo2', value: 91, unit: '%' }], at(20));
    await send([{ type: 'spo2', value: 91, unit: '%' }], at(18));
    await send([{ type: 'body_weight', value: 180, unit: 'lb' }], at(12));
    await send([{ type: 'heart_rate', value: 72, unit: '/min' }], at(8));
    await send([{ type: 'blood_pressure', systolic: 118, diastolic: 76, unit: 'mmHg' }], at(4));
    // BP-01 once (a recheck, medium) and SP-01 confirmed (high) in the worklist, then every reading stored.
    await pollUntil(
      async () => {
        const items = (await harness.nurse.get<AlertListResponse>(`/api/v1/alerts?patientId=${patientId}`)).body.items;
        return items.some((a) => a.ruleId === 'BP-01') && items.some((a) => a.ruleId === 'SP-01' && a.severity === 'high') ? items : undefined;
      },
      { timeoutMs: 30_000, what: 'BP-01 and a confirmed SP-01 in the worklist' },
    );
    await pollUntil(async () => ((await harness.nurse.get<{ items: unknown[] }>(`/api/v1/patients/${patientId}/observations`)).body.items.length === 8 ? true : undefined), {
      what: 'the eight stored rows (BP as two)',
    });
    const bp01 = (await harness.nurse.get<AlertListResponse>(`/api/v1/alerts?patientId=${patientId}`)).body.items.find((a) => a.ruleId === 'BP-01')!;
    expect((await harness.nurse.post(`/api/v1/alerts/${bp01.id}/acknowledge`)).status).toBe(200);
  }, 180_000);
  afterAll(() => harness.stop(), 60_000);

  it('serves its CapabilityStatement without a token', async () => {
    const metadata = await fhirGet(anonymous, '/fhir/R4/metadata');
    expect(metadata).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', kind: 'instance' });
    const types = (metadata['rest'] as { resource: { type: string }[] }[])[0]!.resource.map((r) => r.type);
    expect(types).toEqual(['Patient', 'Device', 'Observation', 'Flag', 'Task']);
  });

  it('reads the patient and her device, and finds them by search', async () => {
    const patient = await fhirGet(nurse, `/fhir/R4/Patient/${patientId}`);
    expect(patient).toMatchObject({ resourceType: 'Patient', id: patientId, identifier: [{ system: 'urn:rpm:patient-mrn' }], name: [{ text: 'Test Patient' }] });
    const found = await fhirGet<Bundle>(nurse, `/fhir/R4/Patient?_id=${patientId}`);
    expect(found).toMatchObject({ total: 1, entry: [{ resource: { id: patientId } }] });

    const devices = await fhirGet<Bundle>(nurse, `/fhir/R4/Device?patient=Patient/${patientId}`);
    expect(devices.entry).toHaveLength(1);
    const device = devices.entry![0]!.resource;
    expect(device).toMatchObject({ status: 'active', identifier: [{ value: deviceId }], patient: { reference: `Patient/${patientId}` } });
    expect(await fhirGet(nurse, `/fhir/R4/Device/${device.id}`)).toEqual(device);
  });

  it('returns every reading as a vital-signs Observation, two to a page, with stable ids and next links', async () => {
    const { resources, pages } = await searchAll(`/fhir/R4/Observation?patient=${patientId}&_count=2`);
    observations = resources;
    expect(pages).toHaveLength(3);
    expect(resources.map((o) => o['effectiveDateTime'])).toEqual([30, 20, 18, 12, 8, 4].map((m) => at(m).toISOString()));
    expect(new Set(resources.map((o) => o.id)).size).toBe(6);
    for (const o of resources) {
      expect(o.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
      expect(o).toMatchObject({
        status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
        subject: { reference: `Patient/${patientId}` },
        device: { reference: `Device/${deviceId}` },
      });
      expect((o['meta'] as { profile: string[] }).profile).toContain('http://hl7.org/fhir/StructureDefinition/vitalsigns');
    }
    // The same search again names the same resources (ids are stable).
    expect((await searchAll(`/fhir/R4/Observation?patient=${patientId}&_count=4`)).resources).toEqual(resources);
  });

  it('codes BP as a panel with systolic and diastolic components, SpO2 with both codings, weight in kg with what the scale sent', () => {
    const [crisis, normal] = byCode('85354-9');
    expect(crisis).toBeDefined();
    expect(crisis!['valueQuantity']).toBeUndefined();
    const components = crisis!['component'] as { code: { coding: Coding[] }; valueQuantity: Quantity; interpretation?: unknown }[];
    expect(components.map((c) => [c.code.coding[0]!.code, c.valueQuantity])).toEqual([
      ['8480-6', { value: 185, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' }],
      ['8462-4', { value: 95, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' }],
    ]);
    // BP-01 once is a recheck (medium): systolic above 180 is H; the diastolic did not breach; the panel takes the worst.
    expect(components.map((c) => interpretationOf(c as Record<string, unknown>))).toEqual(['H', undefined]);
    expect(interpretationOf(crisis!)).toBe('H');
    expect(interpretationOf(normal!)).toBeUndefined();

    const spo2 = byCode('59408-5');
    expect(spo2).toHaveLength(2);
    for (const o of spo2) {
      expect(codesOf(o)).toEqual(['2708-6', '59408-5']);
      expect(o['valueQuantity']).toEqual({ value: 91, unit: '%', system: 'http://unitsofmeasure.org', code: '%' });
      // SP-01 confirmed by the second reading: high, so both of its readings are critical low.
      expect(interpretationOf(o)).toBe('LL');
    }

    const [weight] = byCode('29463-7');
    expect((weight!['valueQuantity'] as Quantity).value).toBeCloseTo(81.647, 3);
    expect(weight!['valueQuantity']).toMatchObject({ unit: 'kg', code: 'kg' });
    expect(weight!['extension']).toEqual([
      { url: 'urn:rpm:fhir:StructureDefinition:original-quantity', valueQuantity: { value: 180, unit: 'lb', system: 'http://unitsofmeasure.org', code: '[lb_av]' } },
    ]);
    expect(interpretationOf(byCode('8867-4')[0]!)).toBeUndefined();
  });

  it('searches by code and by date range (ge/le), and reads an Observation by its id', async () => {
    const spo2 = (await searchAll(`/fhir/R4/Observation?patient=Patient/${patientId}&code=2708-6`)).resources;
    expect(spo2.map((o) => o.id)).toEqual(byCode('59408-5').map((o) => o.id));
    const bp = (await searchAll(`/fhir/R4/Observation?subject=${patientId}&code=http://loinc.org|85354-9`)).resources;
    expect(bp.map((o) => o.id)).toEqual(byCode('85354-9').map((o) => o.id));
    const window = (await searchAll(`/fhir/R4/Observation?patient=${patientId}&date=ge${at(20).toISOString()}&date=le${at(12).toISOString()}`)).resources;
    expect(window.map((o) => o['effectiveDateTime'])).toEqual([20, 18, 12].map((m) => at(m).toISOString()));
    const after = (await searchAll(`/fhir/R4/Observation?patient=${patientId}&date=gt${at(12).toISOString()}`)).resources;
    expect(after.map((o) => o['effectiveDateTime'])).toEqual([8, 4].map((m) => at(m).toISOString()));

    for (const o of observations) expect(await fhirGet(nurse, `/fhir/R4/Observation/${o.id}`)).toEqual(o);
    const refused = await fhirGet(nurse, `/fhir/R4/Observation?date=ge2026-01-01`, 400);
    expect(refused).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] });
  });

  it('shows the alerts as Flags and the worklist items as Tasks, pointing at the readings that fired them', async () => {
    const flags = (await searchAll(`/fhir/R4/Flag?patient=${patientId}`)).resources;
    expect(flags.map((f) => [(f['code'] as { coding: Coding[] }).coding[0]!.code, f['status']])).toEqual([
      ['BP-01', 'active'],
      ['SP-01', 'active'],
    ]);
    const details = (f: Resource) => (f['extension'] as { url: string; valueReference?: { reference: string } }[]).filter((e) => e.valueReference).map((e) => e.valueReference!.reference);
    expect(details(flags[0]!)).toEqual([`Observation/${byCode('85354-9')[0]!.id}`]);
    expect(details(flags[1]!)).toEqual(byCode('59408-5').map((o) => `Observation/${o.id}`));
    expect(await fhirGet(nurse, `/fhir/R4/Flag/${flags[0]!.id}`)).toEqual(flags[0]);
    expect((await fhirGet<Bundle>(nurse, `/fhir/R4/Flag?patient=${patientId}&status=inactive`)).total).toBe(0);

    const tasks = (await searchAll(`/fhir/R4/Task?patient=${patientId}`)).resources;
    expect(tasks.map((t) => [t['status'], t['priority'], t['owner']])).toEqual([
      ['in-progress', 'urgent', { identifier: { system: 'urn:rpm:user', value: 'e2e-nurse' }, display: 'e2e-nurse' }],
      ['requested', 'stat', undefined],
    ]);
    expect(tasks.map((t) => t['focus'])).toEqual(flags.map((f) => ({ reference: `Flag/${f.id}` })));
    expect(await fhirGet(nurse, `/fhir/R4/Task/${tasks[1]!.id}`)).toEqual(tasks[1]);
    const requested = (await searchAll(`/fhir/R4/Task?patient=${patientId}&status=requested`)).resources;
    expect(requested.map((t) => t.id)).toEqual([tasks[1]!.id]);
  });

  it("refuses another care team's nurse (404) and a missing token (401) on every route, as OperationOutcome", async () => {
    const flagId = ((await fhirGet<Bundle>(nurse, `/fhir/R4/Flag?patient=${patientId}`)).entry ?? [])[0]!.resource.id!;
    const deviceFhirId = ((await fhirGet<Bundle>(nurse, `/fhir/R4/Device?patient=${patientId}`)).entry ?? [])[0]!.resource.id!;
    const reads = [`Patient/${patientId}`, `Device/${deviceFhirId}`, `Observation/${observations[0]!.id}`, `Flag/${flagId}`, `Task/${flagId}`];
    const searches = ['Device', 'Observation', 'Flag', 'Task'].map((type) => `${type}?patient=${patientId}`);
    for (const path of [...reads, ...searches]) {
      const refused = await fhirGet(otherNurse, `/fhir/R4/${path}`, 404);
      expect(refused).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
    }
    // Patient search has no patient to refuse: her answer is simply empty.
    expect(await fhirGet<Bundle>(otherNurse, `/fhir/R4/Patient?_id=${patientId}`)).toMatchObject({ total: 0 });
    for (const path of [...reads, ...searches, 'Patient']) {
      expect(await fhirGet(anonymous, `/fhir/R4/${path}`, 401)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'login' }] });
    }
  });

  it('audits each FHIR answer with the patients it carried, and the refusals', async () => {
    const rows = await pollUntil(async () => {
      const res: ApiResult<AuditListResponse> = await harness.admin.get(`/api/v1/audit?patientId=${patientId}&limit=1000`);
      const items = res.body.items.filter((r) => r.action.includes('/fhir/R4/'));
      return items.some((r) => r.actor === 'e2e-other-nurse') ? items : undefined;
    });
    const seen = new Set(rows.filter((r) => r.actor === 'e2e-nurse' && r.outcome === 200).map((r) => r.action));
    for (const action of ['GET /fhir/R4/Patient/:id', 'GET /fhir/R4/Observation', 'GET /fhir/R4/Observation/:id', 'GET /fhir/R4/Flag', 'GET /fhir/R4/Task', 'GET /fhir/R4/Device']) {
      expect([action, seen.has(action)]).toEqual([action, true]);
    }
    const refusals = new Set(rows.filter((r) => r.actor === 'e2e-other-nurse' && r.outcome === 404).map((r) => r.action));
    expect([...refusals].sort()).toEqual(['GET /fhir/R4/Device', 'GET /fhir/R4/Flag', 'GET /fhir/R4/Observation', 'GET /fhir/R4/Observation/:id', 'GET /fhir/R4/Patient/:id', 'GET /fhir/R4/Task']);
  });
});
