import fc from 'fast-check';
import { ApiError, Topics, type AlertListResponse, type DeviceRegistrationResponse, type PatientResponse } from '@rpm/contracts';
import { BatchingProducer } from '@rpm/kafka';
import { signDevToken } from '@rpm/service-kit';
import { anAlertRaised, deleteBrokerDevice, FuzzTally, pollUntil } from '@rpm/testing';
import { CARE_API_ROUTES } from '../src/openapi/care-api.openapi';
import type { OpenApiDocument } from '../src/openapi/openapi-document';
import { routeKey, type RouteSpec } from '../src/openapi/route-spec';
import { CareApiFixture } from './care-api.fixture';
import { bodySweep, contractRefusal, HOSTILE_PATH_VALUES, HOSTILE_QUERY_VALUES, requestsFor, urlPathOf, valueFor, type FuzzRequest, type RouteFuzzPlan } from './request-fuzz';

const SEED = 20_261_127;
/** Requests per route: about 1,800 in all, some 20 s on the 2-core CI machine. */
const REQUESTS_PER_ROUTE = 40;
/** In flight at once: enough to overlap I/O, few enough not to starve the service's own timers. */
const CONCURRENCY = 4;
/** An event stream answers headers and then never ends: the status is all this test reads. */
const STREAM_HEADERS_TIMEOUT_MS = 5_000;
/**
 * The routes fuzzed here: all but FHIR's (/fhir/R4, in development beside this suite). Their search
 * parameters are FHIR's (repeatable, not the zod contract's), so the bad-request oracle does not hold
 * there; fuzzed on 2026-11-27 they answered 500 for a NUL in Patient `identifier`/`name` and in a
 * Device id (PostgreSQL), and Express's own 400 (undecodable path) is no OperationOutcome.
 */
const API_ROUTES = CARE_API_ROUTES.filter((r) => !r.path.startsWith('/fhir/'));
/** Rules our patient has an alert of, so the worklist actions meet real rows and not only 404s. */
const OWN_RULES = ['HR-01', 'HR-02', 'BP-01'];

interface Answer {
  status: number;
  contentType: string;
  body: unknown;
}

/**
 * Issue 8, section 4: every route of the OpenAPI document, fuzzed with mutated paths, queries, headers
 * and bodies, as admin and without (or with a bad) token. Invariants: never a 5xx (bar a documented
 * 502/503 of an unreachable dependency); a request the contract refuses is a 4xx; every 4xx has the
 * ApiError shape. Routes that would change shared state get only requests the contract refuses.
 */
describe('care-api under fuzz: no 5xx, every bad request a 4xx with the ApiError shape', () => {
  const care = new CareApiFixture(14080);
  const tokens: Record<FuzzRequest['caller'], string | null> = {
    admin: null,
    anonymous: null,
    'garbage-token': 'not.a.jwt',
    'other-team-nurse': null,
  };
  const createdDevices: string[] = [];
  let doc: OpenApiDocument;
  let patient: PatientResponse;
  let device: DeviceRegistrationResponse;
  const producer = new BatchingProducer(care.kafka);
  const alertIds: string[] = [];

  beforeAll(async () => {
    await producer.connect();
    await care.start();
    tokens.admin = signDevToken({ sub: `${care.runId}-admin`, role: 'admin' }, care.local.JWT_SECRET);
    tokens['other-team-nurse'] = signDevToken({ sub: `${care.runId}-nurse`, role: 'nurse', careTeams: [`${care.runId}-other`] }, care.local.JWT_SECRET);
    doc = (await care.anonymous.get<OpenApiDocument>('/api/docs')).body;
    patient = await care.createPatient();
    const registered = await care.admin.post<DeviceRegistrationResponse>('/api/v1/devices', { deviceId: `${care.runId}-fuzz-dev`, patientId: patient.id, kind: 'bp_cuff' });
    if (registered.status !== 201) throw new Error(`device not registered: ${registered.status}`);
    device = registered.body;
    createdDevices.push(device.deviceId);
    const team = await care.admin.put(`/api/v1/care-teams/${care.careTeam}`, { name: 'Fuzz team' });
    if (team.status !== 200) throw new Error(`care team not made: ${team.status}`);
    // One open alert per (patient, rule): a second raise of a rule joins the first as evidence.
    const alerts = OWN_RULES.map((ruleId, i) => anAlertRaised({ patientId: patient.id, ruleId, severity: i % 2 ? 'medium' : 'high' }));
    await producer.publish(Topics.alerts, alerts.map((a) => ({ key: a.patientId, value: a })));
    const listed = await pollUntil(
      async () => {
        const items = (await care.admin.get<AlertListResponse>(`/api/v1/alerts?patientId=${patient.id}&includeSnoozed=true`)).body.items ?? [];
        return items.length === OWN_RULES.length ? items : undefined;
      },
      { what: 'our alerts in the worklist' },
    );
    alertIds.push(...listed.map((a) => a.id));
  });

  afterAll(async () => {
    for (const id of createdDevices) await deleteBrokerDevice(care.adminMqtt, id).catch(() => undefined);
    await care.stop();
    await producer.disconnect();
  });

  /** Our own fixtures where a path names something that exists; nonexistent ones where touching a real one would disturb others. */
  function planOf(route: RouteSpec): RouteFuzzPlan {
    const operation = doc.paths[route.path]?.[route.method];
    if (!operation) throw new Error(`${routeKey(route.method, route.path)} not in the served document`);
    const own: RouteFuzzPlan['ownPathValues'] = {};
    const nonexistentVersion = fc.integer({ min: 1_000_000, max: 2_000_000_000 }).map(String);
    if (route.path.startsWith('/api/v1/patients/{id}')) Object.assign(own, { id: fc.oneof(fc.constant(patient.id), fc.uuid()), version: fc.integer({ min: -2, max: 5 }).map(String) });
    if (route.path.startsWith('/api/v1/devices/{id}')) Object.assign(own, { id: fc.constant(device.deviceId) });
    if (route.path.startsWith('/api/v1/alerts/{id}')) Object.assign(own, { id: fc.oneof(fc.constantFrom(...alertIds), fc.uuid()) });
    if (route.path.startsWith('/api/v1/dead-letters/{id}')) Object.assign(own, { id: fc.constantFrom('999999999999999999', '900000000000000001') });
    if (route.path.startsWith('/api/v1/care-teams/{id}')) Object.assign(own, { id: fc.constant(care.careTeam) });
    if (route.path.startsWith('/api/v1/protocols/{programme}/versions/{version}')) Object.assign(own, { version: nonexistentVersion });
    // A new draft of a real programme, or a disposition's label, would change what every other test and the demo see.
    const invalidOnly = (route.method === 'post' && route.path === '/api/v1/protocols/{programme}/versions') || route.path === '/api/v1/dispositions/{code}';
    return { route, operation, ownPathValues: own, invalidOnly: invalidOnly && route.method !== 'get' };
  }

  async function send(route: RouteSpec, request: FuzzRequest): Promise<Answer> {
    const url = new URL(urlPathOf(route.path, request), `http://127.0.0.1:${care.port}`);
    for (const [k, v] of Object.entries(request.query)) for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, item);
    const headers = Object.fromEntries(Object.entries(request.headers).filter((e): e is [string, string] => e[1] !== undefined));
    const token = tokens[request.caller];
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), STREAM_HEADERS_TIMEOUT_MS);
    try {
      const res = await fetch(url, { method: request.method, headers, body: request.body, signal: abort.signal });
      const contentType = res.headers.get('content-type') ?? '';
      if (contentType.startsWith('text/event-stream')) {
        abort.abort();
        return { status: res.status, contentType, body: null };
      }
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* not JSON: kept as text */
      }
      return { status: res.status, contentType, body };
    } finally {
      clearTimeout(timer);
    }
  }

  /** What is wrong with this answer to this request, or null. */
  function violation(route: RouteSpec, request: FuzzRequest, answer: Answer): string | null {
    const refusal = contractRefusal(route, request);
    const guarded = route.roles !== 'public';
    const { status } = answer;
    // FHIR routes answer errors as an OperationOutcome; every other route as an ApiError.
    const errorShape = route.errorBody?.schema ?? ApiError;
    if (status >= 500) {
      const documented = route.errors !== undefined && status in route.errors && errorShape.safeParse(answer.body).success;
      return documented ? null : `${status}: ${JSON.stringify(answer.body).slice(0, 300)}`;
    }
    // An empty or dot segment ('', '.', '..') makes another URL (the client resolves the dots): not this route's.
    const noRoute = Object.values(request.pathParams).some((p) => ['', '.', '..'].includes(p.value));
    // Without a valid token: 401, unless the request is malformed before routing (undecodable path, body not JSON or too large) or not this route's.
    if (guarded && (request.caller === 'anonymous' || request.caller === 'garbage-token') && !(status === 401 || status === 400 || status === 413 || (noRoute && status === 404))) {
      return `${status} without a valid token`;
    }
    // Another route's URL (/api/v1/alerts/ is the list): its own contract decides there.
    if (refusal !== null && status < 400 && !noRoute) return `${status} for a bad request (${refusal})`;
    if (status >= 400) {
      const shape = errorShape.safeParse(answer.body);
      const statusAgrees = route.errorBody !== undefined || (answer.body as { statusCode?: unknown } | null)?.statusCode === status;
      if (!shape.success || !statusAgrees) return `${status} not in the route's error shape: ${JSON.stringify(answer.body).slice(0, 300)}`;
    }
    return null;
  }

  /** Sends the requests of one route, a few at a time; what to make of each answer is the caller's. */
  async function sendAll(plan: RouteFuzzPlan, requests: readonly FuzzRequest[], onAnswer: (request: FuzzRequest, answer: Answer, problem: string | null) => void): Promise<void> {
    for (let i = 0; i < requests.length; i += CONCURRENCY) {
      await Promise.all(
        requests.slice(i, i + CONCURRENCY).map(async (request) => {
          const answer = await send(plan.route, request);
          if (plan.route.path === '/api/v1/devices' && answer.status === 201) createdDevices.push((answer.body as DeviceRegistrationResponse).deviceId);
          onAnswer(request, answer, violation(plan.route, request, answer));
        }),
      );
    }
  }

  /** The path parameters of a route set to our own (or valid) values, so that what a sweep changes is what is tried. */
  const basePathParams = (plan: RouteFuzzPlan) =>
    Object.fromEntries(
      (plan.operation.parameters ?? [])
        .filter((p) => p.in === 'path')
        .map((p) => [p.name, { value: String(fc.sample(plan.ownPathValues[p.name] ?? valueFor(p.schema, doc.components.schemas), { seed: SEED, numRuns: 1 })[0]), raw: false }]),
    );

  it('answers every route, mutated, with no 5xx and a 4xx ApiError for every bad request', async () => {
    const sent = new FuzzTally();
    const statuses = new FuzzTally();
    const kinds = new FuzzTally();
    const violations = new Map<string, string>();
    const plans = API_ROUTES.map(planOf);
    for (const [index, plan] of plans.entries()) {
      const requests = fc
        .sample(requestsFor(plan, doc.components.schemas), { seed: SEED + index, numRuns: REQUESTS_PER_ROUTE * (plan.invalidOnly ? 3 : 1) })
        .filter((r) => !plan.invalidOnly || r.caller !== 'admin' || contractRefusal(plan.route, r) !== null)
        .slice(0, REQUESTS_PER_ROUTE);
      const key = routeKey(plan.route.method, plan.route.path);
      await sendAll(plan, requests, (request, answer, problem) => {
        sent.add(key);
        statuses.add(String(answer.status));
        kinds.add(request.caller !== 'admin' && request.caller !== 'other-team-nurse' ? `no valid token` : contractRefusal(plan.route, request) === null ? 'accepted by the contract' : 'refused by the contract');
        if (problem) violations.set(`${key}: ${problem.split(':')[0]}`, `${key} ${problem}\n  request: ${JSON.stringify({ ...request, body: request.body?.slice(0, 300) })}`);
      });
    }
    console.log(`${sent.summary('care-api fuzz', 'requests')}\n${kinds.summary('kinds', 'requests')}\n${statuses.summary('statuses', 'answers')}`);
    expect([...violations.values()]).toEqual([]);
    // Still alive and ready after all that.
    expect((await care.anonymous.get('/readyz')).status).toBe(200);
  });

  it('answers every hostile value in every path and query parameter of every route (a sweep, as admin) with no 5xx', async () => {
    const sent = new FuzzTally();
    const violations = new Map<string, string>();
    for (const plan of API_ROUTES.map(planOf)) {
      const params = plan.operation.parameters ?? [];
      const base = basePathParams(plan);
      const requests: FuzzRequest[] = [
        ...params.filter((p) => p.in === 'path').flatMap((p) => HOSTILE_PATH_VALUES.map((v) => ({ pathParams: { ...base, [p.name]: v }, query: {} }))),
        ...params.filter((p) => p.in === 'query').flatMap((p) => HOSTILE_QUERY_VALUES.map((v) => ({ pathParams: base, query: { [p.name]: v } }))),
      ].map((r) => ({ ...r, caller: 'admin', method: plan.route.method.toUpperCase(), headers: {}, body: undefined }));
      const key = routeKey(plan.route.method, plan.route.path);
      await sendAll(plan, requests, (request, _answer, problem) => {
        sent.add(key);
        if (problem) violations.set(`${key}: ${JSON.stringify(request.pathParams)} ${JSON.stringify(request.query)}`.slice(0, 400), `${key} ${problem}`);
      });
    }
    console.log(sent.summary('care-api path and query sweep', 'requests'));
    expect([...violations.entries()].map(([request, problem]) => `${problem}\n  ${request}`)).toEqual([]);
  });

  it('answers every hostile value in every body field of every route (a sweep from a valid body, as admin) with no 5xx', async () => {
    const sent = new FuzzTally();
    const violations = new Map<string, string>();
    for (const plan of API_ROUTES.filter((r) => r.body).map(planOf)) {
      const schema = plan.operation.requestBody?.content['application/json']?.schema;
      if (!schema || !plan.route.body) continue;
      // A body the contract accepts where one turns up among the samples (a patient's needs a real time zone).
      const samples = fc.sample(valueFor(schema, doc.components.schemas), { seed: SEED, numRuns: 200 });
      const valid = plan.route.path === '/api/v1/patients' ? (care.aPatientRequest() as unknown as (typeof samples)[number]) : samples.find((v) => plan.route.body!.safeParse(v).success);
      const pathParams = basePathParams(plan);
      const requests = bodySweep(schema, doc.components.schemas, valid ?? samples[0] ?? {})
        .map((body): FuzzRequest => ({ caller: 'admin', method: plan.route.method.toUpperCase(), pathParams, query: {}, headers: {}, body }))
        .filter((r) => !plan.invalidOnly || contractRefusal(plan.route, r) !== null);
      const key = routeKey(plan.route.method, plan.route.path);
      await sendAll(plan, requests, (request, _answer, problem) => {
        sent.add(key);
        if (problem) violations.set(`${key}: ${request.body?.slice(0, 300)}`, `${key} ${problem}`);
      });
    }
    console.log(sent.summary('care-api body sweep', 'requests'));
    expect([...violations.entries()].map(([request, problem]) => `${problem}\n  ${request}`)).toEqual([]);
  });

  /** A worklist cursor as care-api spells one (base64url of [rank, raisedAt, id]), with the values given. */
  const cursorOf = (rank: number, raisedAt: string) => Buffer.from(JSON.stringify([rank, raisedAt, '3f2b8c1e-5d4a-4e6b-9c7d-1a2b3c4d5e6f'])).toString('base64url');

  // What the fuzz found, pinned: each was a 500 (or a 4xx without the ApiError shape) before its fix.
  it.each([
    ['a NUL in a path parameter (the audit row could not be stored)', 400, 'GET', '/api/v1/dead-letters/%00', undefined],
    ['a NUL in a member id the contract accepted', 400, 'PUT', '/api/v1/care-teams/{team}/members/%00', undefined],
    ['a NUL in a patient name', 400, 'POST', '/api/v1/patients', '{"mrn":"m-nul","name":"a\\u0000b","timezone":"Europe/Paris"}'],
    ['a protocol version beyond PostgreSQL integer', 400, 'POST', '/api/v1/protocols/diabetes/versions/99999999999999999999/backtests', '{}'],
    ['a patient protocol version beyond PostgreSQL integer', 400, 'POST', '/api/v1/patients/{patient}/protocol/versions/2147483648/rollback', '{"reason":"x"}'],
    ['an audit bound in year 0', 400, 'GET', `/api/v1/audit?from=${encodeURIComponent('0000-01-01T00:00:00+23:59')}`, undefined],
    ['a body over the parser limit', 413, 'PUT', '/api/v1/care-teams/{team}', `{"name":"${'n'.repeat(200_000)}"}`],
    ['a body that is not JSON', 400, 'PUT', '/api/v1/care-teams/{team}', '{"name":'],
    ['a cursor whose rank overflows PostgreSQL integer', 400, 'GET', `/api/v1/alerts?cursor=${cursorOf(1e20, '2026-01-01T00:00:00.000Z')}`, undefined],
    ['a cursor whose time PostgreSQL cannot read', 400, 'GET', `/api/v1/alerts?cursor=${cursorOf(1, '1')}`, undefined],
    ['a cursor whose rank overflows severity_rank (smallint)', 400, 'GET', `/api/v1/alerts?cursor=${cursorOf(40_000, '2026-01-01T00:00:00.000Z')}`, undefined],
    ['a cursor from year 0', 400, 'GET', `/api/v1/alerts?cursor=${cursorOf(1, '0000-01-01T00:00:00.000Z')}`, undefined],
    ['a cursor from year 275760', 400, 'GET', `/api/v1/alerts?cursor=${cursorOf(1, '+275760-09-13T00:00:00Z')}`, undefined],
  ])('%s: %d in the ApiError shape', async (_why, status, method, template, body) => {
    const path = template.replace('{team}', care.careTeam).replace('{patient}', patient.id);
    const headers: Record<string, string> = { authorization: `Bearer ${tokens.admin}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`http://127.0.0.1:${care.port}${path}`, { method, headers, body });
    const answer = (await res.json()) as unknown;
    expect([res.status, ApiError.safeParse(answer).success]).toEqual([status, true]);
  });
});
