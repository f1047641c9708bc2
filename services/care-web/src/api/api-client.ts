import type { ApiError } from '@rpm/contracts';

export type FieldIssue = NonNullable<ApiError['issues']>[number];

/** A refused or failed call, with the API's own message (and field issues for a 400). */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

const UNREACHABLE = 'The care API cannot be reached. Check the connection and try again.';

function isApiError(body: unknown): body is ApiError {
  return typeof body === 'object' && body !== null && 'message' in body && 'statusCode' in body;
}

/** The message a nurse sees: the API's (it names fields and reasons), or a plain fallback. */
function errorOf(status: number, body: unknown): ApiRequestError {
  if (isApiError(body)) {
    const message = Array.isArray(body.message) ? body.message.join('; ') : String(body.message);
    return new ApiRequestError(status, message, body.issues ?? []);
  }
  return new ApiRequestError(status, `The care API answered ${status}.`);
}

/**
 * care-api over fetch with the bearer token. A 401 means the token expired or was revoked:
 * `onUnauthorized` signs the user out instead of every screen handling it.
 */
export class ApiClient {
  constructor(
    readonly token: string,
    private readonly onUnauthorized: () => void = () => undefined,
  ) {}

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, undefined, signal);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /** Headers of every call; the event stream adds its own on top. */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, accept: 'application/json', ...extra };
  }

  unauthorized(): void {
    this.onUnauthorized();
  }

  private async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`/api/v1${path}`, {
        method,
        headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiRequestError(0, UNREACHABLE);
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    if (response.status === 401) this.onUnauthorized();
    if (!response.ok) throw errorOf(response.status, parsed);
    return parsed as T;
  }
}

/** A query string from the set values only: `?status=open&limit=50`. */
export function queryString(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
