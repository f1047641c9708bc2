import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { workspaceRoot } from '@rpm/service-kit';
import { CARE_API_ROUTES, OPENAPI_JSON_FILE, careApiOpenApiDocument, careApiOpenApiJson } from './care-api.openapi';
import { HTTP_METHODS, routeKey } from './route-spec';

/**
 * Structural checks of OpenAPI 3.1 that matter to a client generator, written out rather than
 * taken from a validator package: refs resolve, path parameters are declared, ids are unique.
 */
const doc = careApiOpenApiDocument();
const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => (key === '$ref' && typeof child === 'string' ? [child] : refsIn(child)));
}

/** A local JSON pointer (#/a/b) resolved in the document, or undefined. */
function resolvePointer(ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), doc);
}

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

/** Every schema object below `schema`, itself included. */
function schemasWithin(schema: unknown): Record<string, unknown>[] {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return [];
  const s = schema as Record<string, unknown>;
  const children = [
    ...Object.values((s['properties'] ?? {}) as object),
    ...['items', 'additionalProperties', 'propertyNames', 'not'].map((k) => s[k]),
    ...['anyOf', 'oneOf', 'allOf', 'prefixItems'].flatMap((k) => (Array.isArray(s[k]) ? (s[k] as unknown[]) : [])),
  ];
  return [s, ...children.flatMap(schemasWithin)];
}

describe('the care-api OpenAPI document', () => {
  it('is OpenAPI 3.1 with a bearer JWT scheme that every guarded operation uses', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBeTruthy();
    expect(doc.components.securitySchemes['bearerAuth']).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    for (const { op } of operations) expect(op.security).toEqual(op['x-roles'].includes('public') ? [] : undefined);
  });

  it('resolves every $ref inside the document', () => {
    const unresolved = [...new Set(refsIn(doc))].filter((ref) => resolvePointer(ref) === undefined);
    expect(unresolved).toEqual([]);
  });

  it('lists only components some operation reaches', () => {
    const reached = new Set<string>();
    const pending = refsIn(doc.paths);
    for (let ref = pending.pop(); ref !== undefined; ref = pending.pop()) {
      if (reached.has(ref)) continue;
      reached.add(ref);
      pending.push(...refsIn(resolvePointer(ref)));
    }
    expect(Object.keys(doc.components.schemas).filter((name) => !reached.has(`#/components/schemas/${name}`))).toEqual([]);
  });

  it('names components as OpenAPI allows', () => {
    for (const name of Object.keys(doc.components.schemas)) expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  it('declares every path parameter once, required, and no parameter the path lacks', () => {
    for (const { path, method, op } of operations) {
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
      expect({ route: routeKey(method, path), names: declared.map((p) => p.name).sort() }).toEqual({ route: routeKey(method, path), names: templated });
      for (const p of declared) expect(p.required).toBe(true);
      const keys = (op.parameters ?? []).map((p) => `${p.in}:${p.name}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('has unique operation ids, valid methods, and exactly one 2xx response per operation', () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { method, op } of operations) {
      expect(HTTP_METHODS).toContain(method);
      expect(Object.keys(op.responses).filter((status) => /^2\d\d$/.test(status))).toHaveLength(1);
      for (const response of Object.values(op.responses)) expect(response.description).toBeTruthy();
    }
  });

  it('answers every 4xx with the ApiError contract, and on a FHIR route with an OperationOutcome in application/fhir+json', () => {
    for (const { path, op } of operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (!status.startsWith('4')) continue;
        if (path.startsWith('/fhir/')) expect(response.content?.['application/fhir+json']?.schema).toMatchObject({ properties: { resourceType: { const: 'OperationOutcome' } } });
        else expect(response.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/ApiError' });
      }
    }
  });

  it('holds JSON Schemas whose types are JSON types and whose required properties exist', () => {
    const everySchema = [
      ...Object.values(doc.components.schemas),
      ...operations.flatMap(({ op }) => [
        ...(op.parameters ?? []).map((p) => p.schema),
        ...Object.values(op.requestBody?.content ?? {}).map((m) => m.schema),
        ...Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {}).map((m) => m.schema)),
      ]),
    ].flatMap(schemasWithin);
    for (const schema of everySchema) {
      for (const type of [schema['type'] ?? []].flat()) expect(JSON_TYPES).toContain(type);
      const properties = Object.keys((schema['properties'] ?? {}) as object);
      for (const name of (schema['required'] ?? []) as string[]) expect(properties).toContain(name);
      expect(schema).not.toHaveProperty('$schema');
      expect(schema).not.toHaveProperty('$id');
    }
  });

  it('states every schema a route uses without falling back to "anything"', () => {
    // The document is generated with unrepresentable: 'any' (Kafka contracts are converted too); here each documented one must convert strictly.
    for (const route of CARE_API_ROUTES) {
      const requests = [...Object.values(route.params ?? {}), ...Object.values(route.headers ?? {}), ...(route.query ? [route.query] : []), ...(route.body ? [route.body] : [])];
      const responses = [...Object.values(route.success), ...Object.values(route.otherResponses ?? {})].map((r) => (r instanceof z.ZodType ? r : r.schema));
      for (const schema of requests) expect(() => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' })).not.toThrow();
      for (const schema of responses) expect(() => z.toJSONSchema(schema, { io: 'output', unrepresentable: 'throw' })).not.toThrow();
    }
  });

  it(`is what ${OPENAPI_JSON_FILE} holds (run npm run openapi after changing a contract or a route)`, () => {
    expect(readFileSync(join(workspaceRoot(), OPENAPI_JSON_FILE), 'utf8')).toBe(careApiOpenApiJson());
  });
});
