import { ApiRejectedError, ApiUnreachableError, CareApiClient } from './care-api-client';

const PATIENT_ID = '3f1b0c9e-4a57-4c1e-9d2b-8b8f5f0a1c11';
const patientBody = {
  id: PATIENT_ID,
  mrn: 'SIM-R-P001',
  name: 'Simulated Patient P001',
  timezone: 'Europe/London',
  programs: ['copd'],
  spo2Scale: 2,
  careTeamId: null,
  createdAt: '2025-01-01T00:00:00.000Z',
};
const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const request = { mrn: 'SIM-R-P001', name: 'Simulated Patient P001', timezone: 'Europe/London', programs: ['copd' as const] };

function client(responses: (() => Response)[], readyTimeoutMs = 60_000) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = responses.shift();
    if (!next) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    return next();
  }) as unknown as typeof fetch;
  const api = new CareApiClient({ baseUrl: 'http://api.test:3000', token: 'tok', readyTimeoutMs, fetchImpl, sleep: async () => undefined });
  return { api, calls };
}

describe('CareApiClient', () => {
  it('POSTs with the bearer token and validates the response with the contract', async () => {
    const { api, calls } = client([() => json(201, patientBody)]);
    await expect(api.createPatient(request)).resolves.toMatchObject({ id: PATIENT_ID });
    expect(calls[0]!.url).toBe('http://api.test:3000/api/v1/patients');
    expect((calls[0]!.init.headers as Record<string, string>)['authorization']).toBe('Bearer tok');
  });

  it('retries while the API is starting (connection refused, 503) and then succeeds', async () => {
    const refused = (): Response => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    };
    const { api, calls } = client([refused, () => json(503, {}), () => json(201, patientBody)]);
    await expect(api.createPatient(request)).resolves.toMatchObject({ id: PATIENT_ID });
    expect(calls).toHaveLength(3);
  });

  it('gives a clear error when the API never comes up', async () => {
    const { api } = client([], 2_000);
    await expect(api.createPatient(request)).rejects.toThrow(ApiUnreachableError);
    await expect(client([], 2_000).api.createPatient(request)).rejects.toThrow(/care-api not reachable at http:\/\/api\.test:3000.*ECONNREFUSED/);
  });

  it('reports a 4xx at once, with the API error message and fields', async () => {
    const { api, calls } = client([() => json(409, { statusCode: 409, error: 'Conflict', message: 'mrn already exists', issues: [{ field: 'mrn', reason: 'taken' }] })]);
    await expect(api.createPatient(request)).rejects.toThrow(/409: mrn already exists - mrn: taken/);
    expect(calls).toHaveLength(1);
  });

  it('rejects a response that breaks the contract', async () => {
    const { api } = client([() => json(201, { deviceId: 'x' })]);
    await expect(api.registerDevice('sim-r-p001-oxi', PATIENT_ID, 'pulse_oximeter')).rejects.toThrow(ApiRejectedError);
  });
});
