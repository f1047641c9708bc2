import { createHash } from 'node:crypto';
import type { FhirResource } from '../fhir-types';

/** A business identifier: what a conditional create or update finds the resource by on the receiving server. */
export interface BusinessIdentifier {
  readonly system: string;
  readonly value: string;
}

/**
 * One resource to push. `create` is a conditional create (POST with ifNoneExist: a server that holds it
 * answers 200 and changes nothing), `update` a conditional update (PUT Type?identifier=...: created when
 * absent, replaced when present). Either way a retry finds what the first try wrote: no duplicates.
 */
export interface PushEntry {
  readonly resource: FhirResource;
  readonly method: 'create' | 'update';
  readonly identifier: BusinessIdentifier;
}

export interface TransactionEntry {
  fullUrl: string;
  resource: FhirResource;
  request: { method: 'POST' | 'PUT'; url: string; ifNoneExist?: string };
}

export interface TransactionBundle extends FhirResource {
  resourceType: 'Bundle';
  type: 'transaction';
  entry: TransactionEntry[];
}

/** FHIR search escapes a `\`, `|`, `,` and `$` inside a token value with a backslash. */
const escapeSearchValue = (value: string): string => value.replace(/[\\|,$]/g, (c) => `\\${c}`);

/** `identifier=system|value`, URL-encoded part by part: the one literal `|` is the separator. */
export function identifierQuery(id: BusinessIdentifier): string {
  return `identifier=${encodeURIComponent(id.system)}|${encodeURIComponent(escapeSearchValue(id.value))}`;
}

/** A name-based UUID (SHA-256, version and variant bits set) for the entry: the same resource always gets the same fullUrl. */
export function stableUuid(name: string): string {
  const b = createHash('sha256').update(name, 'utf8').digest();
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Rewrites every `reference` (at any depth) through `map`; a local reference that is not in the Bundle is an error. */
function rewriteReferences(node: unknown, map: ReadonlyMap<string, string>, path: string): unknown {
  if (Array.isArray(node)) return node.map((n, i) => rewriteReferences(n, map, `${path}[${i}]`));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'reference' && typeof value === 'string') {
      const target = map.get(value);
      if (!target) throw new Error(`${path}.reference names ${value.split('/')[0]}/..., which is not in the Bundle`);
      out[key] = target;
    } else {
      out[key] = rewriteReferences(value, map, `${path}.${key}`);
    }
  }
  return out;
}

/** Our id and the server-owned meta.lastUpdated go; the receiver assigns its own (meta.profile stays). */
function withoutServerElements(resource: FhirResource): FhirResource {
  const { id: _id, meta, ...rest } = resource;
  const { lastUpdated: _lastUpdated, ...keptMeta } = (meta ?? {}) as Record<string, unknown>;
  return Object.keys(keptMeta).length > 0 ? { ...rest, meta: keptMeta } : rest;
}

/**
 * A FHIR R4 transaction Bundle (docs/adr/0012-ehr-push.md): every entry a conditional create or update by
 * its business identifier, with a stable `urn:uuid` fullUrl, and every reference between the resources
 * (`Patient/{our id}`, `Observation/{our id}`, `Flag/{our id}`) turned into the fullUrl of its entry, which
 * the server resolves to whatever id it holds the resource under. Pure: the same entries give the same
 * Bundle, byte for byte, on every try.
 */
export function transactionBundle(entries: readonly PushEntry[]): TransactionBundle {
  const fullUrls = new Map<string, string>();
  const seen = new Set<string>();
  for (const e of entries) {
    const key = `${e.resource.resourceType}|${e.identifier.system}|${e.identifier.value}`;
    if (seen.has(key)) throw new Error(`${e.resource.resourceType} ${e.identifier.system}|... is in the Bundle twice`);
    seen.add(key);
    const fullUrl = `urn:uuid:${stableUuid(key)}`;
    if (e.resource.id) fullUrls.set(`${e.resource.resourceType}/${e.resource.id}`, fullUrl);
  }
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: entries.map((e) => {
      const type = e.resource.resourceType;
      const resource = rewriteReferences(withoutServerElements(e.resource), fullUrls, type) as FhirResource;
      const query = identifierQuery(e.identifier);
      return {
        fullUrl: `urn:uuid:${stableUuid(`${type}|${e.identifier.system}|${e.identifier.value}`)}`,
        resource,
        request: e.method === 'create' ? { method: 'POST', url: type, ifNoneExist: query } : { method: 'PUT', url: `${type}?${query}` },
      };
    }),
  };
}
