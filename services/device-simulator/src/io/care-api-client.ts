import {
  CreatePatientRequest,
  DeviceRegistrationResponse,
  PatientResponse,
  RegisterDeviceRequest,
  type DeviceKind,
} from '@rpm/contracts';
import type { z } from 'zod';

/** Waiting for a care-api that is still starting: first retry after 0.5 s, doubling up to 5 s apart. */
const RETRY_FIRST_DELAY_MS = 500;
const RETRY_MAX_DELAY_MS = 5_000;
/** One request never hangs the run: a stuck connection counts as "not ready" and is retried. */
const REQUEST_TIMEOUT_MS = 10_000;

export class ApiUnreachableError extends Error {}
export class ApiRejectedError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface CareApiClientOptions {
  readonly baseUrl: string;
  readonly token: string;
  /** Give up when the API has not answered for this long. */
  readonly readyTimeoutMs: number;
  readonly fetchImpl?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The two care-api calls the simulator makes, each response parsed by its contract schema. */
export class CareApiClient {
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: CareApiClientOptions) {
    this.fetchImpl = options.fetchImpl ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  createPatient(body: CreatePatientRequest): Promise<PatientResponse> {
    return this.post('/api/v1/patients', CreatePatientRequest.parse(body), PatientResponse);
  }

  registerDevice(deviceId: string, patientId: string, kind: DeviceKind): Promise<DeviceRegistrationResponse> {
    return this.post('/api/v1/devices', RegisterDeviceRequest.parse({ deviceId, patientId, kind }), DeviceRegistrationResponse);
  }

  /**
   * POST with retries while the API is unreachable or answering 5xx/429 (still starting or
   * overloaded). A 4xx is our bug or a conflict, reported at once. Errors carry the path and
   * status, never the request body (it holds patient names).
   */
  private async post<S extends z.ZodTypeAny>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    const url = new URL(path, this.options.baseUrl).toString();
    const deadline = Date.now() + this.options.readyTimeoutMs;
    let delay = RETRY_FIRST_DELAY_MS;
    let lastProblem = '';
    for (;;) {
      try {
        const res = await this.fetchImpl(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.token}` },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        if (res.status === 201 || res.status === 200) {
          const parsed = schema.safeParse(await res.json());
          if (!parsed.success) {
            throw new ApiRejectedError(`POST ${path}: response does not match the contract (${fieldsOf(parsed.error)})`, res.status);
          }
          return parsed.data;
        }
        if (res.status < 500 && res.status !== 429) {
          throw new ApiRejectedError(`POST ${path} answered ${res.status}: ${await errorSummary(res)}`, res.status);
        }
        lastProblem = `HTTP ${res.status}`;
      } catch (err) {
        if (err instanceof ApiRejectedError) throw err;
        lastProblem = causeOf(err);
      }
      if (Date.now() + delay > deadline) {
        throw new ApiUnreachableError(
          `care-api not reachable at ${this.options.baseUrl} after ${Math.round(this.options.readyTimeoutMs / 1000)} s ` +
            `(last problem: ${lastProblem}). Is it running? Set --api or SIM_API_URL.`,
        );
      }
      await this.sleep(delay);
      delay = Math.min(RETRY_MAX_DELAY_MS, delay * 2);
    }
  }
}

function fieldsOf(error: z.ZodError): string {
  return error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
}

/** The API's error message and field names (ApiError); bodies echo no patient data by contract. */
async function errorSummary(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { message?: unknown; issues?: { field?: unknown; reason?: unknown }[] };
    const issues = (body.issues ?? []).map((i) => `${String(i.field)}: ${String(i.reason)}`).join('; ');
    return [typeof body.message === 'string' ? body.message : res.statusText, issues].filter(Boolean).join(' - ');
  } catch {
    return res.statusText;
  }
}

function causeOf(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? err.message;
  }
  return String(err);
}
