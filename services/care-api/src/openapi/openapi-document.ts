import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { ApiError } from '@rpm/contracts';
import { contractNames, convertSchemas, type ConvertedSchemas, type JsonSchema } from './component-schemas';
import { successStatusOf, type RouteSpec, type SuccessResponse } from './route-spec';

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description: string;
  readonly tags: readonly { readonly name: string; readonly description: string }[];
}

/** The parts of an OpenAPI 3.1 document this builder writes (and the tests read). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string; license: { name: string; identifier: string } };
  security: Record<string, string[]>[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { securitySchemes: Record<string, JsonSchema>; schemas: Record<string, JsonSchema> };
}

export interface OpenApiOperation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  /** Who may call it (the route's @Roles), or ["public"]. */
  'x-roles': string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: 'path' | 'query' | 'header'; required: boolean; schema: JsonSchema; description?: string }[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
}

const BEARER = 'bearerAuth';
const UNAUTHORIZED = 'Missing, invalid or expired bearer token.';
const FORBIDDEN = "The token's role may not use this route.";

/** The document for a route table: zod contracts in, OpenAPI 3.1 out. Throws on a table that contradicts itself. */
export function buildOpenApiDocument(info: OpenApiInfo, routes: readonly RouteSpec[], contracts: Readonly<Record<string, unknown>>): OpenApiDocument {
  assertUniqueRoutes(routes);
  const schemas = convertSchemas(contractNames(contracts), routes.flatMap(schemasOf));
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method] = operationOf(route, schemas);
  const linked = schemas.link(paths);
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description, license: { name: 'Apache-2.0', identifier: 'Apache-2.0' } },
    security: [{ [BEARER]: [] }],
    tags: info.tags.map((t) => ({ ...t })),
    paths: linked.document,
    components: {
      securitySchemes: { [BEARER]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: linked.schemas,
    },
  };
}

function assertUniqueRoutes(routes: readonly RouteSpec[]): void {
  const seen = new Set<string>();
  for (const route of routes) {
    for (const key of [`${route.method} ${route.path}`, `operationId ${route.operationId}`]) {
      if (seen.has(key)) throw new Error(`route table: ${key} twice`);
      seen.add(key);
    }
    const templated = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!).sort();
    const declared = Object.keys(route.params ?? {}).sort();
    if (templated.join() !== declared.join()) throw new Error(`route table: ${route.path} has path parameters {${templated}} but params {${declared}}`);
  }
}

function successBody(response: SuccessResponse): { schema: z.ZodType; contentType: string; description?: string } {
  return response instanceof z.ZodType ? { schema: response, contentType: 'application/json' } : { contentType: 'application/json', ...response };
}

function schemasOf(route: RouteSpec): z.ZodType[] {
  return [
    ...Object.values(route.params ?? {}),
    ...Object.values(route.headers ?? {}),
    ...(route.query ? [route.query] : []),
    ...(route.body ? [route.body] : []),
    ...Object.values(route.success).map((r) => successBody(r).schema),
    ...Object.values(route.otherResponses ?? {}).map((r) => r.schema),
    route.errorBody?.schema ?? ApiError,
  ];
}

function operationOf(route: RouteSpec, schemas: ConvertedSchemas): OpenApiOperation {
  const isPublic = route.roles === 'public';
  const parameters = parametersOf(route, schemas);
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    'x-roles': isPublic ? ['public'] : [...route.roles],
    // An empty list overrides the document's bearer requirement.
    ...(isPublic ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: !route.bodyOptional, content: { 'application/json': { schema: schemas.of(route.body, 'input') } } } } : {}),
    responses: responsesOf(route, schemas),
  };
}

function responsesOf(route: RouteSpec, schemas: ConvertedSchemas): OpenApiOperation['responses'] {
  const success = successStatusOf(route);
  const body = successBody(route.success[success]!);
  const json = (schema: z.ZodType) => ({ 'application/json': { schema: schemas.of(schema, 'output') } });
  const responses: OpenApiOperation['responses'] = {
    [success]: { description: body.description ?? STATUS_CODES[success] ?? 'Success', content: { [body.contentType]: { schema: schemas.of(body.schema, 'output') } } },
  };
  const errors: [number, string][] = [
    ...(route.roles === 'public' ? [] : ([[401, UNAUTHORIZED], [403, FORBIDDEN]] as [number, string][])),
    ...Object.entries(route.errors ?? {}).map(([status, why]): [number, string] => [Number(status), why]),
  ];
  const errorContent = route.errorBody ? { [route.errorBody.contentType]: { schema: schemas.of(route.errorBody.schema, 'output') } } : json(ApiError);
  for (const [status, description] of errors.sort(([a], [b]) => a - b)) responses[status] = { description, content: errorContent };
  for (const [status, other] of Object.entries(route.otherResponses ?? {})) responses[status] = { description: other.description, content: json(other.schema) };
  return responses;
}

function parametersOf(route: RouteSpec, schemas: ConvertedSchemas): NonNullable<OpenApiOperation['parameters']> {
  const parameters: NonNullable<OpenApiOperation['parameters']> = [];
  for (const [name, schema] of Object.entries(route.params ?? {})) parameters.push({ name, in: 'path', required: true, schema: schemas.of(schema, 'input') });
  if (route.query) {
    // A query is one object in the contract and one parameter per property in OpenAPI.
    const query = schemas.of(route.query, 'input', { inline: true });
    const required = new Set((query['required'] as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries((query['properties'] ?? {}) as Record<string, JsonSchema>)) {
      parameters.push({ name, in: 'query', required: required.has(name), schema });
    }
  }
  for (const [name, schema] of Object.entries(route.headers ?? {})) parameters.push({ name, in: 'header', required: false, schema: schemas.of(schema, 'input') });
  return parameters;
}
