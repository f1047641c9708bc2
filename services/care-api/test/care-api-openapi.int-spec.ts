import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { Topics, type AlertListResponse, type AlertResponse, type PatientResponse } from '@rpm/contracts';
import { BatchingProducer } from '@rpm/kafka';
import { workspaceRoot } from '@rpm/service-kit';
import { anAlertRaised, pollUntil, type ApiResult } from '@rpm/testing';
import { careApiOpenApiDocument } from '../src/openapi/care-api.openapi';
import type { JsonSchema } from '../src/openapi/component-schemas';
import type { OpenApiDocument } from '../src/openapi/openapi-document';
import { ROUTE_CHECK_MESSAGE } from '../src/openapi/openapi-route-check.service';
import { routeKey } from '../src/openapi/route-spec';
import { CareApiFixture } from './care-api.fixture';

interface RouteCheckLine {
  msg: string;
  registered: string[];
  undocumented: string[];
  unregistered: string[];
  mismatched: string[];
}

/** The real care-api: GET /api/docs is the generated document, names exactly the routes Nest registered, and real answers fit it. */
describe('care-api OpenAPI document', () => {
  const care = new CareApiFixture(14060);
  const producer = new BatchingProducer(care.kafka);
  let served: OpenApiDocument;

  beforeAll(async () => {
    await producer.connect();
    await care.start();
    const res = await care.anonymous.get<OpenApiDocument>('/api/docs');
    if (res.status !== 200) throw new Error(`GET /api/docs answered ${res.status}`);
    served = res.body;
  });

  afterAll(async () => {
    await care.stop();
    await producer.disconnect();
  });

  const operationsOf = (doc: OpenApiDocument) => Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => routeKey(method, path)));

  it('serves, without a token, the document the builder makes (the one npm run openapi writes)', async () => {
    expect(served).toEqual(careApiOpenApiDocument());
    const page = await fetch(`http://127.0.0.1:${care.port}/api/docs/ui`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('createPatient');
  });

  it('documents exactly the routes Nest registered, with their roles and success status', async () => {
    // The service's startup check reads Nest's controller metadata (DiscoveryService) and logs it, agreeing or not.
    const logFile = join(workspaceRoot(), '.data', 'logs', `${care.runId}-care-api.log`);
    const check = await pollUntil(
      async () =>
        readFileSync(logFile, 'utf8')
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as RouteCheckLine)
          .find((line) => line.msg === ROUTE_CHECK_MESSAGE),
      { what: `the route check in ${logFile}` },
    );
    expect({ undocumented: check.undocumented, unregistered: check.unregistered, mismatched: check.mismatched }).toEqual({
      undocumented: [],
      unregistered: [],
      mismatched: [],
    });
    expect(operationsOf(served).sort()).toEqual([...check.registered].sort());
  });

  it('answers every documented operation from a real route: guarded ones refuse a missing token (401, not 404)', async () => {
    const samples: Record<string, string> = { id: randomUUID(), version: '1', programme: 'general', code: 'no_action_needed', userId: 'someone' };
    const outcomes: string[] = [];
    for (const [path, methods] of Object.entries(served.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        // Care-team ids are not UUIDs: a sample of their shape.
        const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => (path.startsWith('/api/v1/care-teams') && name === 'id' ? 'team-probe' : samples[name]!));
        const res = await fetch(`http://127.0.0.1:${care.port}${url}`, { method: method.toUpperCase() });
        await res.body?.cancel();
        const expected = op['x-roles'].includes('public') ? 200 : 401;
        outcomes.push(`${routeKey(method, path)} ${res.status === expected ? 'ok' : `answered ${res.status}, expected ${expected}`}`);
      }
    }
    expect(outcomes.filter((line) => !line.endsWith(' ok'))).toEqual([]);
  });

  describe('real answers fit the documented response schemas', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });

    /** Fails unless the status is documented for the operation and the body validates against its schema. */
    function expectDocumented(method: string, path: string, res: ApiResult): void {
      const response = served.paths[path]?.[method]?.responses[String(res.status)];
      if (!response) throw new Error(`${routeKey(method, path)} answered ${res.status}, which the document does not list: ${JSON.stringify(res.body)}`);
      const schema = response.content?.['application/json']?.schema;
      if (!schema) throw new Error(`${routeKey(method, path)} ${res.status} has no JSON schema in the document`);
      // The schema's refs (#/components/schemas/X) resolve against the components placed beside it.
      const validate = ajv.compile({ ...schema, components: served.components } as JsonSchema);
      const valid = validate(res.body);
      expect({ route: `${routeKey(method, path)} ${res.status}`, errors: valid ? [] : validate.errors }).toEqual({ route: `${routeKey(method, path)} ${res.status}`, errors: [] });
    }

    it('for a patient: created, read, its protocol; and a refused body', async () => {
      const created = await care.admin.post<PatientResponse>('/api/v1/patients', care.aPatientRequest());
      expectDocumented('post', '/api/v1/patients', created);
      expect(created.status).toBe(201);
      expectDocumented('get', '/api/v1/patients/{id}', await care.nurse.get(`/api/v1/patients/${created.body.id}`));
      expectDocumented('get', '/api/v1/patients/{id}/protocol', await care.nurse.get(`/api/v1/patients/${created.body.id}/protocol`));

      const refused = await care.admin.post('/api/v1/patients', care.aPatientRequest({ timezone: 'Mars/Olympus' }));
      expect(refused.status).toBe(400);
      expectDocumented('post', '/api/v1/patients', refused);
      expectDocumented('get', '/api/v1/patients/{id}', await care.nurse.get('/api/v1/patients/not-a-uuid'));
      expectDocumented('get', '/api/v1/patients/{id}', await care.otherNurse.get(`/api/v1/patients/${created.body.id}`));
    });

    it('for the worklist: an alert listed, acknowledged (twice: 409), noted, read; the dispositions', async () => {
      const patient = await care.createPatient();
      const alert = anAlertRaised({ patientId: patient.id, ruleId: 'HR-01', severity: 'high' });
      await producer.publish(Topics.alerts, [{ key: alert.patientId, value: alert }]);
      await pollUntil(async () => (await care.nurse.get<AlertListResponse>(`/api/v1/alerts?patientId=${patient.id}`)).body.items?.find((a) => a.id === alert.alertKey), {
        what: 'the alert in the worklist',
      });
      expectDocumented('get', '/api/v1/alerts', await care.nurse.get(`/api/v1/alerts?patientId=${patient.id}`));
      const acknowledged = await care.nurse.post<AlertResponse>(`/api/v1/alerts/${alert.alertKey}/acknowledge`);
      expect(acknowledged.status).toBe(200);
      expectDocumented('post', '/api/v1/alerts/{id}/acknowledge', acknowledged);
      expectDocumented('post', '/api/v1/alerts/{id}/acknowledge', await care.nurse.post(`/api/v1/alerts/${alert.alertKey}/acknowledge`));
      expectDocumented('post', '/api/v1/alerts/{id}/notes', await care.nurse.post(`/api/v1/alerts/${alert.alertKey}/notes`, { body: 'Called the patient.' }));
      expectDocumented('get', '/api/v1/alerts/{id}', await care.nurse.get(`/api/v1/alerts/${alert.alertKey}`));
      expectDocumented('get', '/api/v1/alerts', await care.nurse.get('/api/v1/alerts?limit=0'));
      expectDocumented('get', '/api/v1/alerts', await care.anonymous.get('/api/v1/alerts'));
      expectDocumented('get', '/api/v1/dispositions', await care.nurse.get('/api/v1/dispositions'));
    });

    it('for the caller: a nurse (her care teams) and an admin (every patient)', async () => {
      expectDocumented('get', '/api/v1/me', await care.nurse.get('/api/v1/me'));
      expectDocumented('get', '/api/v1/me', await care.admin.get('/api/v1/me'));
    });

    it('for operations: liveness and readiness', async () => {
      expectDocumented('get', '/healthz', await care.anonymous.get('/healthz'));
      expectDocumented('get', '/readyz', await care.anonymous.get('/readyz'));
    });
  });
});
