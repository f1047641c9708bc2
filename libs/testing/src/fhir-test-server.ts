import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

type Resource = { resourceType: string; id?: string; meta?: Record<string, unknown>; [element: string]: unknown };
type Entry = { fullUrl?: string; resource?: Resource; request?: { method?: string; url?: string; ifNoneExist?: string } };

/** What a request to the test server was, and what it answered (`null` while it hangs). */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly body: unknown;
  status: number | null;
}

/** A stored resource and how many times it was written (1: created, never updated). */
export interface StoredResource {
  readonly resource: Resource;
  readonly version: number;
}

/**
 * How the next requests fail: with a status (500, 503, 429 with Retry-After, a 400 OperationOutcome);
 * `hang`: no answer at all (the client's timeout decides); `after-commit`: the transaction is applied and
 * then answered with the status, as when the answer is lost on the way back.
 */
export type FailureMode =
  | { readonly status: number; readonly retryAfter?: string; readonly diagnostics?: string; readonly afterCommit?: boolean }
  | { readonly hang: true };

/** Which requests a failure applies to, by their parsed body. */
export type RequestMatch = (body: unknown) => boolean;

class TransactionError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const outcome = (code: string, diagnostics: string) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] });

/** Splits `identifier=system|value` (URL-encoded parts, FHIR escapes in the value) into its parts. */
export function parseIdentifierQuery(query: string): { system: string; value: string } {
  const params = query.split('&');
  if (params.length !== 1 || !params[0]!.startsWith('identifier=')) throw new TransactionError(400, `only identifier=system|value is supported, not ${query}`);
  const raw = params[0]!.slice('identifier='.length);
  const bar = raw.indexOf('|');
  if (bar < 0) throw new TransactionError(400, 'identifier without a system');
  const system = decodeURIComponent(raw.slice(0, bar));
  const value = decodeURIComponent(raw.slice(bar + 1)).replace(/\\([\\|,$])/g, '$1');
  return { system, value };
}

/**
 * A small FHIR R4 server for tests (issue 9, section 2): `POST [base]` with a transaction Bundle, entries
 * POST with `ifNoneExist` (conditional create: 200 and no change when one resource has the identifier,
 * 412 when several do) and PUT `Type?identifier=...` (conditional update: create when none, replace when
 * one), processed POST before PUT as R4 orders them, `urn:uuid` references rewritten to the ids it
 * assigned, all or nothing. It keeps every request and resource, and fails on demand.
 */
export class FhirTestServer {
  readonly requests: ReceivedRequest[] = [];
  private store = new Map<string, StoredResource>();
  private failures: { mode: FailureMode; match: RequestMatch }[] = [];
  private always: { mode: FailureMode; match: RequestMatch } | null = null;
  private nextId = 1;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly port = 0) {}

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** The FHIR base URL (POST a transaction here). */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/fhir`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  /** The next `count` requests (of those `match` picks: a suite's own patient on a shared cluster) fail so. */
  failNext(count: number, mode: FailureMode, match: RequestMatch = () => true): void {
    for (let i = 0; i < count; i++) this.failures.push({ mode, match });
  }

  /** Every request (that `match` picks) fails so until recover(). */
  failAlways(mode: FailureMode, match: RequestMatch = () => true): void {
    this.always = { mode, match };
  }

  recover(): void {
    this.always = null;
    this.failures = [];
  }

  /** The stored resources of a type, in creation order. */
  all(type: string): StoredResource[] {
    return [...this.store.entries()].filter(([key]) => key.startsWith(`${type}/`)).map(([, v]) => v);
  }

  /** The stored resources of a type with this identifier (more than one would be a duplicate). */
  withIdentifier(type: string, system: string, value: string): StoredResource[] {
    return this.all(type).filter((s) => this.hasIdentifier(s.resource, system, value));
  }

  /** The transaction Bundles received (failed ones included). */
  get bundles(): Resource[] {
    return this.requests.map((r) => r.body as Resource).filter((b) => b?.resourceType === 'Bundle');
  }

  private hasIdentifier(r: Resource, system: string, value: string): boolean {
    return ((r['identifier'] as { system?: string; value?: string }[] | undefined) ?? []).some((i) => i.system === system && i.value === value);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: unknown = null;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      body = null;
    }
    const received: ReceivedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      body,
      status: null,
    };
    this.requests.push(received);
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      received.status = status;
      res.writeHead(status, { 'content-type': 'application/fhir+json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    const queued = this.failures.findIndex((f) => f.match(body));
    const failure = queued >= 0 ? this.failures.splice(queued, 1)[0]!.mode : this.always?.match(body) ? this.always.mode : null;
    if (failure && 'hang' in failure) return; // never answered: the socket stays open until the client gives up or stop()
    if (failure && !failure.afterCommit) {
      answer(failure.status, outcome(failure.status >= 500 ? 'transient' : 'invalid', failure.diagnostics ?? `failing on demand (${failure.status})`), failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
      return;
    }
    if (req.method !== 'POST' || !/^\/fhir\/?$/.test(new URL(req.url ?? '/', 'http://x').pathname)) {
      answer(404, outcome('not-supported', 'only POST [base] with a transaction Bundle'));
      return;
    }
    try {
      const response = this.transaction(body);
      if (failure && !('hang' in failure)) answer(failure.status, outcome('transient', 'committed, then failing on demand'), failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
      else answer(200, response);
    } catch (error) {
      if (error instanceof TransactionError) answer(error.status, outcome(error.status === 412 ? 'duplicate' : 'invalid', error.message));
      else answer(500, outcome('exception', (error as Error).message));
    }
  }

  /** Applies a transaction to a copy of the store and swaps it in only when every entry succeeded. */
  private transaction(body: unknown): Resource {
    const bundle = body as { resourceType?: string; type?: string; entry?: Entry[] } | null;
    if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'transaction') throw new TransactionError(400, 'not a transaction Bundle');
    const entries = bundle.entry ?? [];
    const store = new Map(this.store);
    let nextId = this.nextId;
    const resolved = new Map<string, string>();
    const results: { status: string; location: string }[] = new Array(entries.length);
    const written: { key: string; index: number }[] = [];
    // R4 processing order: DELETE, POST, PUT/PATCH, GET (only POST and PUT here).
    const order = [...entries.keys()].sort((a, b) => rank(entries[a]!) - rank(entries[b]!));
    for (const index of order) {
      const e = entries[index]!;
      const method = e.request?.method;
      const type = e.resource?.resourceType;
      if (!e.resource || !type || !e.request?.url) throw new TransactionError(400, `entry ${index}: resource and request are required`);
      const matches = (query: string) => {
        const { system, value } = parseIdentifierQuery(query);
        return [...store.entries()].filter(([key, s]) => key.startsWith(`${type}/`) && this.hasIdentifier(s.resource, system, value));
      };
      let key: string;
      if (method === 'POST') {
        if (e.request.url !== type) throw new TransactionError(400, `entry ${index}: POST url must be ${type}`);
        const found = e.request.ifNoneExist ? matches(e.request.ifNoneExist) : [];
        if (found.length > 1) throw new TransactionError(412, `entry ${index}: ifNoneExist matches ${found.length} resources`);
        if (found.length === 1) {
          key = found[0]![0];
          results[index] = { status: '200 OK', location: `${key}/_history/${found[0]![1].version}` };
        } else {
          key = `${type}/${nextId++}`;
          store.set(key, { resource: { ...e.resource, id: key.split('/')[1]! }, version: 1 });
          written.push({ key, index });
          results[index] = { status: '201 Created', location: `${key}/_history/1` };
        }
      } else if (method === 'PUT') {
        const [path, query] = e.request.url.split('?', 2) as [string, string | undefined];
        if (path !== type || !query) throw new TransactionError(400, `entry ${index}: only conditional updates (${type}?identifier=...) are supported`);
        const found = matches(query);
        if (found.length > 1) throw new TransactionError(412, `entry ${index}: the condition matches ${found.length} resources`);
        if (found.length === 1) {
          key = found[0]![0];
          const version = found[0]![1].version + 1;
          store.set(key, { resource: { ...e.resource, id: key.split('/')[1]! }, version });
          results[index] = { status: '200 OK', location: `${key}/_history/${version}` };
        } else {
          key = `${type}/${nextId++}`;
          store.set(key, { resource: { ...e.resource, id: key.split('/')[1]! }, version: 1 });
          results[index] = { status: '201 Created', location: `${key}/_history/1` };
        }
        written.push({ key, index });
      } else {
        throw new TransactionError(400, `entry ${index}: method ${String(method)} is not supported`);
      }
      if (e.fullUrl) resolved.set(e.fullUrl, key);
    }
    // References to other entries (their urn:uuid fullUrl) become the ids they resolved to.
    for (const { key } of written) {
      const s = store.get(key)!;
      store.set(key, { ...s, resource: rewrite(s.resource, resolved) as Resource });
    }
    this.store = store;
    this.nextId = nextId;
    return { resourceType: 'Bundle', type: 'transaction-response', entry: results.map((response) => ({ response })) };
  }
}

const rank = (e: Entry): number => ({ DELETE: 0, POST: 1, PUT: 2, PATCH: 2, GET: 3 })[e.request?.method ?? ''] ?? 4;

function rewrite(node: unknown, resolved: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, resolved));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'reference' && typeof v === 'string' && v.startsWith('urn:uuid:')) {
      const target = resolved.get(v);
      if (!target) throw new TransactionError(400, `reference ${v} is to no entry of the Bundle`);
      out[k] = target;
    } else {
      out[k] = rewrite(v, resolved);
    }
  }
  return out;
}
