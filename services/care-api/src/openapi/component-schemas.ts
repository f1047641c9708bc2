import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/** Requests are documented as what the service accepts (zod input), responses as what it sends (zod output). */
export type SchemaIo = 'input' | 'output';

const COMPONENTS = '#/components/schemas/';
// Output schemas are generated with this mark in their refs until it is known whether their input and output forms differ.
const OUTPUT_MARK = '@output';
/** A contract whose request and response forms differ is listed twice: its response form gets this suffix (zod-openapi's convention). */
export const OUTPUT_SUFFIX = 'Output';

export interface ConvertedSchemas {
  /** A route's schema as JSON Schema: a $ref for a contract, the schema itself otherwise (or with `inline`, always). */
  of(schema: z.ZodType, io: SchemaIo, options?: { inline?: boolean }): JsonSchema;
  /** The document with its refs made final, and every component schema it reaches (and no other). */
  link<T>(document: T): { document: T; schemas: Record<string, JsonSchema> };
}

/** Every zod schema among a module's exports, by export name: the names the components take. */
export function contractNames(contracts: Readonly<Record<string, unknown>>): Map<z.ZodType, string> {
  const names = new Map<z.ZodType, string>();
  for (const [name, value] of Object.entries(contracts)) {
    if (!(value instanceof z.ZodType)) continue;
    const earlier = names.get(value);
    if (earlier) throw new Error(`contract schema exported twice (${earlier}, ${name}): give it one name`);
    names.set(value, name);
  }
  return names;
}

/**
 * Converts the schemas routes use with zod's own JSON Schema generator (draft 2020-12, the dialect
 * of OpenAPI 3.1). Every contract is registered under its export name, so a contract nested in
 * another becomes a $ref to its component instead of a copy.
 */
export function convertSchemas(names: ReadonlyMap<z.ZodType, string>, used: readonly z.ZodType[]): ConvertedSchemas {
  const unnamed = new Map<z.ZodType, string>();
  for (const schema of used) if (!names.has(schema) && !unnamed.has(schema)) unnamed.set(schema, `~route-schema-${unnamed.size}`);
  const generated = { input: generate('input', names, unnamed), output: generate('output', names, unnamed) };

  return {
    of(schema, io, options = {}) {
      const name = names.get(schema);
      if (name !== undefined && !options.inline) return { $ref: refTo(name, io) };
      const json = generated[io].get(name ?? unnamed.get(schema) ?? '');
      if (!json) throw new Error('schema not converted: pass every schema a route uses to convertSchemas');
      return structuredClone(json);
    },
    link(document) {
      return linkComponents(document, generated.input, generated.output);
    },
  };
}

function refTo(name: string, io: SchemaIo): string {
  return COMPONENTS + name + (io === 'output' ? OUTPUT_MARK : '');
}

function generate(io: SchemaIo, names: ReadonlyMap<z.ZodType, string>, unnamed: ReadonlyMap<z.ZodType, string>): Map<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of [...names, ...unnamed]) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    target: 'draft-2020-12',
    // Every contract is converted, Kafka payloads too; the unit test converts each documented schema with 'throw'.
    unrepresentable: 'any',
    uri: (id) => refTo(id, io),
    override: ({ jsonSchema }) => dropSafeIntegerBounds(jsonSchema),
  });
  if ('__shared' in schemas) throw new Error('a cyclic schema without a name: register it in @rpm/contracts so it gets a component');
  const byId = new Map<string, JsonSchema>();
  for (const [id, schema] of Object.entries(schemas)) {
    // $schema and $id belong to standalone documents; a component is identified by its place in the document.
    const { $schema: _dialect, $id: _id, ...body } = schema as JsonSchema;
    byId.set(id, body);
  }
  return byId;
}

/**
 * zod states .int() as the JavaScript safe-integer range; in the document that is noise, not a limit
 * a client needs (an explicit .min/.max of the contract stays).
 */
function dropSafeIntegerBounds(json: JsonSchema): void {
  if (json['type'] !== 'integer') return;
  if (json['minimum'] === Number.MIN_SAFE_INTEGER) delete json['minimum'];
  if (json['maximum'] === Number.MAX_SAFE_INTEGER) delete json['maximum'];
}

function linkComponents<T>(document: T, input: ReadonlyMap<string, JsonSchema>, output: ReadonlyMap<string, JsonSchema>) {
  const reached = { input: new Set<string>(), output: new Set<string>() };
  const pending = [...refsIn(document)];
  for (let ref = pending.pop(); ref !== undefined; ref = pending.pop()) {
    const { name, io } = parseRef(ref);
    if (reached[io].has(name)) continue;
    const json = (io === 'input' ? input : output).get(name);
    if (!json) throw new Error(`$ref to ${name}, which is not a contract`);
    reached[io].add(name);
    pending.push(...refsIn(json));
  }

  // Greatest fixed point: a contract keeps one component unless its output form differs from its input
  // form, and a form differs when its own body does or when a contract it refers to differs.
  const identical = new Set([...reached.output].filter((name) => reached.input.has(name)));
  const outputName = (name: string) => (reached.input.has(name) && !identical.has(name) ? name + OUTPUT_SUFFIX : name);
  for (let changed = true; changed; ) {
    changed = false;
    for (const name of identical) {
      if (canonical(finalRefs(output.get(name), outputName)) !== canonical(input.get(name))) {
        identical.delete(name);
        changed = true;
      }
    }
  }

  const schemas: Record<string, JsonSchema> = {};
  const add = (name: string, json: JsonSchema) => {
    if (name in schemas) throw new Error(`two components named ${name}: rename the contract`);
    schemas[name] = json;
  };
  for (const name of reached.input) add(name, input.get(name)!);
  for (const name of reached.output) {
    if (reached.input.has(name) && identical.has(name)) continue;
    add(outputName(name), finalRefs(output.get(name)!, outputName));
  }
  const sorted = Object.fromEntries(Object.keys(schemas).sort().map((name) => [name, schemas[name]!]));
  return { document: finalRefs(document, outputName), schemas: sorted };
}

function parseRef(ref: string): { name: string; io: SchemaIo } {
  if (!ref.startsWith(COMPONENTS)) throw new Error(`unexpected $ref ${ref}`);
  const name = ref.slice(COMPONENTS.length);
  return name.endsWith(OUTPUT_MARK) ? { name: name.slice(0, -OUTPUT_MARK.length), io: 'output' } : { name, io: 'input' };
}

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => (key === '$ref' && typeof child === 'string' ? [child] : refsIn(child)));
}

/** A copy with every output ref pointing at the component the output form ends up in. */
function finalRefs<T>(value: T, outputName: (name: string) => string): T {
  if (Array.isArray(value)) return value.map((item: unknown) => finalRefs(item, outputName)) as T;
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => {
      if (key !== '$ref' || typeof child !== 'string') return [key, finalRefs(child, outputName)];
      const { name, io } = parseRef(child);
      return [key, COMPONENTS + (io === 'output' ? outputName(name) : name)];
    }),
  ) as T;
}

/** JSON with sorted keys: two schemas are the same when this is. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (!value || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}
