import fc from 'fast-check';
import type { z } from 'zod';
import { hostileString, mutateJson, treeMutation, type Json } from '@rpm/testing';
import type { JsonSchema } from '../src/openapi/component-schemas';
import type { OpenApiOperation } from '../src/openapi/openapi-document';
import type { RouteSpec } from '../src/openapi/route-spec';

/**
 * Requests for fuzzing care-api (issue 8, section 4), generated from a route's OpenAPI schemas and
 * mutated; the route table's zod schemas (what the service parses) tell whether each is a bad request.
 */

export type Caller = 'admin' | 'anonymous' | 'garbage-token' | 'other-team-nurse';

export interface FuzzRequest {
  readonly caller: Caller;
  readonly method: string;
  /** Path parameter values as sent: percent-encoded unless `raw` (malformed escapes on purpose). */
  readonly pathParams: Readonly<Record<string, { value: string; raw: boolean }>>;
  readonly query: Readonly<Record<string, string | string[]>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body text as sent (JSON, or not); undefined: no body. */
  readonly body: string | undefined;
}

const MAX_GENERATED_ARRAY = 3;
const DATE_MIN = new Date('2025-01-01T00:00:00Z');
const DATE_MAX = new Date('2027-01-01T00:00:00Z');

/** A schema's $ref resolved against the document's components. */
function resolved(schema: JsonSchema, components: Readonly<Record<string, JsonSchema>>): JsonSchema {
  let s = schema;
  for (let hops = 0; typeof s['$ref'] === 'string' && hops < 10; hops += 1) s = components[(s['$ref'] as string).split('/').pop()!] ?? {};
  return s;
}

function stringFor(s: JsonSchema): fc.Arbitrary<Json> {
  if (s['format'] === 'uuid') return fc.uuid();
  if (s['format'] === 'date-time') return fc.date({ min: DATE_MIN, max: DATE_MAX, noInvalidDate: true }).map((d) => d.toISOString());
  const minLength = typeof s['minLength'] === 'number' ? s['minLength'] : 0;
  const maxLength = Math.min(typeof s['maxLength'] === 'number' ? s['maxLength'] : 24, 24);
  if (typeof s['pattern'] === 'string') {
    try {
      return fc.stringMatching(new RegExp(s['pattern'])).filter((v) => v.length >= minLength && v.length <= Math.max(maxLength, minLength));
    } catch {
      /* a pattern fast-check cannot invert: any string */
    }
  }
  return fc.string({ minLength, maxLength: Math.max(minLength, maxLength) });
}

/** Mostly valid values for a JSON Schema (refinements zod checks beyond the schema may still fail). */
export function valueFor(schema: JsonSchema, components: Readonly<Record<string, JsonSchema>>, depth = 0): fc.Arbitrary<Json> {
  const s = resolved(schema, components);
  if ('const' in s) return fc.constant(s['const'] as Json);
  if (Array.isArray(s['enum'])) return fc.constantFrom(...(s['enum'] as Json[]));
  const alternatives = (s['anyOf'] ?? s['oneOf']) as JsonSchema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((a) => valueFor(a, components, depth + 1)));
  if (Array.isArray(s['allOf'])) return valueFor((s['allOf'] as JsonSchema[])[0]!, components, depth + 1);
  const type = Array.isArray(s['type']) ? (s['type'] as string[])[0] : (s['type'] as string | undefined);
  const min = typeof s['minimum'] === 'number' ? s['minimum'] : typeof s['exclusiveMinimum'] === 'number' ? s['exclusiveMinimum'] + 1 : -1000;
  const max = typeof s['maximum'] === 'number' ? s['maximum'] : typeof s['exclusiveMaximum'] === 'number' ? s['exclusiveMaximum'] - 1 : 1000;
  switch (type) {
    case 'string':
      return stringFor(s);
    case 'integer':
      return fc.integer({ min: Math.ceil(Math.max(min, -1e9)), max: Math.floor(Math.min(max, 1e9)) });
    case 'number':
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth > 4) return fc.constant([]);
      const items = s['items'] ? valueFor(s['items'] as JsonSchema, components, depth + 1) : fc.constant<Json>(null);
      const minItems = typeof s['minItems'] === 'number' ? s['minItems'] : 0;
      return fc.array(items, { minLength: minItems, maxLength: Math.max(minItems, Math.min(typeof s['maxItems'] === 'number' ? s['maxItems'] : MAX_GENERATED_ARRAY, MAX_GENERATED_ARRAY)) });
    }
    case 'object':
    case undefined: {
      const properties = (s['properties'] ?? {}) as Record<string, JsonSchema>;
      if (depth > 4 || Object.keys(properties).length === 0) return fc.constant({});
      const required = (s['required'] ?? []) as string[];
      const record = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, valueFor(v, components, depth + 1)]));
      return fc.record(record, { requiredKeys: required.filter((k) => k in record) }) as fc.Arbitrary<Json>;
    }
    default:
      return fc.constant(null);
  }
}

/** Query values as a browser or a script might get them wrong: numbers out of range, edge dates, NUL, repeated keys. */
export const HOSTILE_QUERY_VALUES: readonly (string | string[])[] = [
  ...['', '-1', '0', '1.5', '1e3', '99999999999999999999', '-99999999999999999999', '2147483648', 'NaN', 'Infinity', 'true', '[]', '{}', '%', '0x10', ' 1'],
  ...['2026-13-45T99:99:99Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '0000-01-01T00:00:00+23:59', '+275760-09-13T00:00:00Z', '2026-02-30T00:00:00Z'],
  ...['\u0000', 'a\u0000b', '\ud800', '💓🩺', 'x'.repeat(5000)],
  ['1', '2'],
  ['a', ''],
];

const hostileQueryValue: fc.Arbitrary<string | string[]> = fc.oneof(hostileString.map((s) => s.slice(0, 3000)), fc.constantFrom(...HOSTILE_QUERY_VALUES));

/** A malformed worklist cursor: base64url of JSON that looks like one (rank, raisedAt, id), with edge values. */
export const malformedCursor: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(fc.integer(), fc.constantFrom<Json>(1e20, -1e20, 32_768, 2 ** 31, 2 ** 53, -0, 1.5, '1', null)),
    fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom<Json>('1', '2026', 'Mar 2 2026', '+275760-09-13T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '2026-01-01T00:00:00Z', 'not a date', 5),
    ),
    fc.oneof(fc.uuid(), fc.constantFrom<Json>('00000000-0000-0000-0000-000000000000', 'x', 12)),
  )
  .map((t) => Buffer.from(JSON.stringify(t)).toString('base64url'));

/** Path parameter values that are not what the route takes: malformed UUIDs, out-of-range numbers, escapes, NUL, unicode, huge. */
export const HOSTILE_PATH_VALUES: readonly { value: string; raw: boolean }[] = [
  ...['0', '-1', '1.5', '2147483648', '9223372036854775808', '99999999999999999999', '1e3', ' 1', 'not-a-uuid', '00000000-0000-0000-0000-000000000000'].map((value) => ({ value, raw: false })),
  ...['3f2b8c1e-5d4a-4e6b-9c7d-1a2b3c4d5e6', '3f2b8c1e-5d4a-4e6b-9c7d-1a2b3c4d5e6fa', '3F2B8C1E5D4A4E6B9C7D1A2B3C4D5E6F', '{3f2b8c1e-5d4a-4e6b-9c7d-1a2b3c4d5e6f}'].map((value) => ({ value, raw: false })),
  ...['\u0000', 'a\u0000b', '\ud800', '\u202e', '💓🩺', 'É', "'; DROP TABLE patients; --", 'rpm-admin', 'x'.repeat(300), 'x'.repeat(5000)].map((value) => ({ value, raw: false })),
  ...['%', '%zz', '%E0%A4%A', '%C0%AF', '%00', '%ED%A0%80', 'a%2Fb', '%FF%FE'].map((value) => ({ value, raw: true })),
];

const hostilePathValue: fc.Arbitrary<{ value: string; raw: boolean }> = fc.oneof(
  hostileString.filter((s) => s !== '.' && s !== '..').map((value) => ({ value: value.slice(0, 5000), raw: false })),
  fc.constantFrom(...HOSTILE_PATH_VALUES),
);

export interface RouteFuzzPlan {
  readonly route: RouteSpec;
  readonly operation: OpenApiOperation;
  /** Values of our own fixtures for path parameters (a patient, a device, a care team of this run). */
  readonly ownPathValues: Readonly<Record<string, fc.Arbitrary<string>>>;
  /** Only requests the contract refuses: for routes that would change shared state (a programme's protocol, dispositions). */
  readonly invalidOnly: boolean;
}

const bodySchemaOf = (op: OpenApiOperation): JsonSchema | undefined => op.requestBody?.content['application/json']?.schema;

/** The requests of one route: a mostly valid base, then mutations of its path, query, headers and body. */
export function requestsFor(plan: RouteFuzzPlan, components: Readonly<Record<string, JsonSchema>>): fc.Arbitrary<FuzzRequest> {
  const { route, operation } = plan;
  const params = operation.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const headerParams = params.filter((p) => p.in === 'header');

  const path = fc.record(
    Object.fromEntries(
      pathParams.map((p) => {
        const own = plan.ownPathValues[p.name];
        const valid = valueFor(p.schema, components).map((v) => ({ value: String(v), raw: false }));
        const base = own ? own.map((value) => ({ value, raw: false })) : valid;
        return [p.name, fc.oneof({ weight: 3, arbitrary: base }, { weight: 1, arbitrary: hostilePathValue })];
      }),
    ),
  );
  const queryValue = (p: (typeof queryParams)[number]) =>
    fc.oneof(
      { weight: 3, arbitrary: valueFor(p.schema, components).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) },
      { weight: p.name === 'cursor' ? 4 : 1, arbitrary: p.name === 'cursor' ? malformedCursor : hostileQueryValue },
      { weight: 1, arbitrary: hostileQueryValue },
    );
  const query = fc
    .tuple(
      fc.record(Object.fromEntries(queryParams.map((p) => [p.name, queryValue(p)])), { requiredKeys: [] }),
      fc.option(fc.tuple(fc.constantFrom('unknown', 'limit[]', '__proto__', 'a'.repeat(300)), hostileQueryValue), { freq: 5 }),
    )
    .map(([q, extra]) => {
      const present = Object.fromEntries(Object.entries(q).filter((e): e is [string, string | string[]] => e[1] !== undefined));
      return extra ? { ...present, [extra[0]]: extra[1] } : present;
    });
  const headers = fc.record(Object.fromEntries(headerParams.map((p) => [p.name, fc.oneof(fc.nat().map(String), fc.string({ unit: 'binary-ascii', maxLength: 60 }).filter((v) => /^[\x20-\x7e]*$/.test(v)))])), {
    requiredKeys: [],
  });
  const schema = bodySchemaOf(operation);
  const body: fc.Arbitrary<string | undefined> = schema
    ? fc.oneof(
        { weight: 2, arbitrary: valueFor(schema, components).map((v) => JSON.stringify(v)) },
        { weight: 5, arbitrary: fc.tuple(valueFor(schema, components), fc.nat(), treeMutation).map(([v, pick, m]) => mutateJson(v, pick, m)) },
        { weight: 1, arbitrary: fc.constantFrom<string | undefined>(undefined, '', 'null', '[]', '"x"', '{', '{"a":', 'not json', '{"a":1,"a":2}', `{"x":"${'y'.repeat(200_000)}"}`) },
      )
    : fc.constant(undefined);
  const caller = fc.constantFrom<Caller>('admin', 'admin', 'admin', 'admin', 'admin', 'admin', 'anonymous', 'garbage-token', 'other-team-nurse');
  return fc.record({ caller, method: fc.constant(route.method.toUpperCase()), pathParams: path, query, headers, body });
}

/** The URL path of a request: each parameter percent-encoded (lone surrogates made well-formed first) unless raw. */
export function urlPathOf(template: string, request: FuzzRequest): string {
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const p = request.pathParams[name];
    if (!p) return '';
    return p.raw ? p.value : encodeURIComponent(wellFormed(p.value));
  });
}

export const wellFormed = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

/** Path parameter values as Express hands them to the controller (null: not decodable). */
function decodedPathParams(request: FuzzRequest): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const [name, p] of Object.entries(request.pathParams)) {
    try {
      out[name] = p.raw ? decodeURIComponent(p.value) : wellFormed(p.value);
    } catch {
      return null;
    }
  }
  return out;
}

/**
 * Why the contract refuses this request (path, query or body), or null when it accepts it. Path
 * parameters typed as numbers are coerced as Nest's ParseIntPipe does (digits only).
 */
export function contractRefusal(route: RouteSpec, request: FuzzRequest): string | null {
  const path = decodedPathParams(request);
  if (!path) return 'path: not decodable';
  for (const [name, schema] of Object.entries(route.params ?? {})) {
    const raw = path[name] ?? '';
    const numeric = (schema as z.ZodType).safeParse(0).success || (schema as z.ZodType).safeParse(1).success;
    const value = numeric && /^-?\d+$/.test(raw) ? Number(raw) : raw;
    if (!(schema as z.ZodType).safeParse(value).success) return `path ${name}`;
  }
  if (route.query) {
    const query = Object.fromEntries(Object.entries(request.query).map(([k, v]) => [k, Array.isArray(v) ? v.map(wellFormed) : wellFormed(v)]));
    if (!route.query.safeParse(query).success) return 'query';
  }
  if (route.body) {
    const text = request.body;
    if (text !== undefined && text !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return 'body: not JSON';
      }
      // Express's JSON parser takes objects and arrays only; anything else is a 400 before the controller.
      if (parsed === null || typeof parsed !== 'object') return 'body: not an object';
      if (!route.body.safeParse(parsed).success) return 'body';
    } else if (!route.bodyOptional && !route.body.safeParse({}).success) {
      return 'body: missing';
    }
  }
  return null;
}

/** Body field values that are valid JSON but hostile: NUL, lone surrogates, huge, out of range, year 0000 and 9999, wrong types. */
export const HOSTILE_BODY_VALUES: readonly Json[] = [
  ...['\u0000', 'a\u0000b', '\ud800', 'x'.repeat(5000), '', ' ', '💓🩺'],
  ...[-1, 0, 1.5, 2 ** 31, 2 ** 53, 1e308, -1e308, 5e-324],
  ...['0000-01-01T00:00:00Z', '0001-01-01T00:00:00+00:01', '9999-12-31T23:59:59-23:59', '2026-02-30T00:00:00Z', '1970-01-01T00:00:00Z', '2100-01-01T00:00:00Z'],
  ...[true, null, [], {}, [null], { value: 1 }],
];

/**
 * One body per (field, hostile value): each property of the body schema (and of the first item of an
 * array of objects) set in turn to each hostile value, the rest of `base` kept.
 */
export function bodySweep(schema: JsonSchema, components: Readonly<Record<string, JsonSchema>>, base: Json): string[] {
  const root = resolved(schema, components);
  const properties = Object.entries((root['properties'] ?? {}) as Record<string, JsonSchema>);
  const paths: (string | number)[][] = properties.flatMap(([key, prop]) => {
    const p = resolved(prop, components);
    const items = p['type'] === 'array' && p['items'] ? resolved(p['items'] as JsonSchema, components) : null;
    const nested = items?.['properties'] ? Object.keys(items['properties'] as object).map((k) => [key, 0, k]) : [];
    return [[key], ...nested];
  });
  const baseObject = base !== null && typeof base === 'object' && !Array.isArray(base) ? base : {};
  return paths.flatMap((path) =>
    HOSTILE_BODY_VALUES.map((value) => {
      const body = structuredClone(baseObject) as Record<string | number, Json>;
      let node: Record<string | number, Json> = body;
      for (const [i, key] of path.slice(0, -1).entries()) {
        const next = path[i + 1];
        if (node[key] === undefined || node[key] === null || typeof node[key] !== 'object') node[key] = typeof next === 'number' ? [{}] : {};
        const child = node[key] as Record<string | number, Json>;
        if (typeof next === 'number' && (child[next] === undefined || typeof child[next] !== 'object')) child[next] = {};
        node = child;
      }
      node[path[path.length - 1]!] = value;
      return JSON.stringify(body);
    }),
  );
}

