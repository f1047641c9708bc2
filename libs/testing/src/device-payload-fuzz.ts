import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { MAX_DEVICE_PAYLOAD_BYTES } from '@rpm/contracts';
import { workspaceRoot } from '@rpm/service-kit';

/**
 * Generated device payloads for fuzzing the MQTT path (issue 8, section 4): valid messages, JSON
 * mutations of them and of the contract's fixtures, and byte-level damage. Each input says which
 * family it came from, so a run can report how many of each it tried.
 */
export interface FuzzPayload {
  readonly family: string;
  readonly payload: Buffer;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const FIXTURES = (): string => join(workspaceRoot(), 'libs', 'contracts', 'src', 'fixtures', 'valid');

/** The valid fixtures of the device contract, as published. */
export function validFixturePayloads(): { name: string; payload: Buffer }[] {
  return readdirSync(FIXTURES())
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((name) => ({ name, payload: readFileSync(join(FIXTURES(), name)) }));
}

// ---------------------------------------------------------------------------------------------
// Valid messages

const tenths = (min: number, max: number) => fc.integer({ min: Math.round(min * 10), max: Math.round(max * 10) }).map((v) => v / 10);

/** One reading of each type, safely inside the plausible range after conversion (never 2047). */
export const VALID_READING_OF: Readonly<Record<string, fc.Arbitrary<JsonObject>>> = {
  blood_pressure: fc.oneof(
    fc.record({ type: fc.constant('blood_pressure'), systolic: tenths(100, 200), diastolic: tenths(45, 95), unit: fc.constant('mmHg') }),
    fc.record({ type: fc.constant('blood_pressure'), systolic: tenths(14, 26), diastolic: tenths(6, 12.5), unit: fc.constant('kPa') }),
  ),
  heart_rate: fc.record({ type: fc.constant('heart_rate'), value: fc.integer({ min: 30, max: 220 }), unit: fc.constant('/min') }),
  spo2: fc.record({ type: fc.constant('spo2'), value: fc.integer({ min: 70, max: 100 }), unit: fc.constant('%') }),
  body_weight: fc.oneof(
    fc.record({ type: fc.constant('body_weight'), value: tenths(30, 300), unit: fc.constant('kg') }),
    fc.record({ type: fc.constant('body_weight'), value: tenths(60, 600), unit: fc.constant('lb') }),
  ),
  glucose: fc.oneof(
    fc.record({ type: fc.constant('glucose'), value: fc.integer({ min: 30, max: 600 }), unit: fc.constant('mg/dL') }),
    fc.record({ type: fc.constant('glucose'), value: tenths(2, 33), unit: fc.constant('mmol/L') }),
  ),
  body_temperature: fc.oneof(
    fc.record({ type: fc.constant('body_temperature'), value: tenths(34, 42), unit: fc.constant('Cel') }),
    fc.record({ type: fc.constant('body_temperature'), value: tenths(94, 107), unit: fc.constant('degF') }),
  ),
  respiratory_rate: fc.record({ type: fc.constant('respiratory_rate'), value: fc.integer({ min: 6, max: 50 }), unit: fc.constant('/min') }),
  consciousness: fc.record({ type: fc.constant('consciousness'), value: fc.constantFrom('alert', 'confusion', 'voice', 'pain', 'unresponsive') }),
  supplemental_oxygen: fc.oneof(
    fc.record({ type: fc.constant('supplemental_oxygen'), value: fc.constant(true), flow: tenths(0, 15) }, { requiredKeys: ['type', 'value'] }),
    fc.record({ type: fc.constant('supplemental_oxygen'), value: fc.constant(false) }),
  ),
};

/** 1 to 9 readings of distinct types, in any order. */
export const validReadings: fc.Arbitrary<JsonObject[]> = fc
  .shuffledSubarray(Object.keys(VALID_READING_OF), { minLength: 1 })
  .chain((types) => fc.tuple(...types.map((t) => VALID_READING_OF[t]!)));

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/** RFC 3339 with the given UTC offset (minutes) and fraction digits: one instant, many spellings. */
export function rfc3339(instantMs: number, offsetMinutes: number, fractionDigits = 0): string {
  const local = new Date(instantMs + offsetMinutes * 60_000).toISOString();
  const fraction = fractionDigits === 0 ? '' : `.${local.slice(20, 23).padEnd(fractionDigits, '0').slice(0, fractionDigits)}`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const zone = offsetMinutes === 0 && fractionDigits % 2 === 0 ? 'Z' : `${sign}${pad(Math.trunc(offsetMinutes / 60))}:${pad(offsetMinutes % 60)}`;
  return `${local.slice(0, 19)}${fraction}${zone}`;
}

/** An offset a device may send: whole hours, the odd ones (+05:45, -09:30, +12:45) and the extremes (±23:59). */
export const utcOffsetMinutes = fc.oneof(
  fc.integer({ min: -12, max: 14 }).map((h) => h * 60),
  fc.constantFrom(345, -570, 765, 330, 525, -210, 1439, -1439, 0),
);

/** The same instant spelled with an arbitrary offset and 0-9 fraction digits (truncated to whole ms). */
export const measuredAtSpelling = (instantMs: number) =>
  fc.tuple(utcOffsetMinutes, fc.integer({ min: 0, max: 9 })).map(([offset, digits]) => rfc3339(Math.floor(instantMs / 1000) * 1000, offset, digits));

/** A valid envelope measured at `instantMs` (spelled in any offset), with a fresh messageId. */
export const validEnvelope = (instantMs: number, messageId?: string): fc.Arbitrary<JsonObject> =>
  fc
    .record({
      messageId: messageId === undefined ? fc.uuid() : fc.constant(messageId),
      measuredAt: measuredAtSpelling(instantMs),
      readings: validReadings,
    })
    .map((m) => m as JsonObject);

// ---------------------------------------------------------------------------------------------
// Hostile values

/** Strings that have broken parsers and databases elsewhere: NUL, lone surrogates, BOM, RTL, emoji, huge. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\udc00y', '\ufeff', '\u202e-drowssap', '\u2028\u2029', '💓🩺', 'é', 'Ω≈ç√', '\\', '"', "'; DROP TABLE observations; --", '%00', '${jndi:x}', 'NaN', 'Infinity', '-0', '97', 'null', 'true', '2047'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer({ min: 129, max: 20_000 }).map((n) => 'x'.repeat(n)),
);

/** Numbers JSON can carry, and the edges: -0, 2047, tiny, huge, negative, non-integers. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 2047, -2047, 2047.0000001, 1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, 5e-324, 0.1, 77, 113, 300.0000001, 39.999),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Number spellings JSON.stringify cannot produce: overflow to Infinity, underflow, NaN-likes (not JSON at all). */
export const RAW_NUMBER_TEXTS = ['1e309', '-1e309', '1E+99999', '1e-400', '-0', '-0.0', '2047', '2.047e3', '2047.0', '123456789012345678901234567890', '0.0000000000000000000000000001', 'NaN', 'Infinity', '-Infinity', '0x7FF', '+97', '.5', '97.', '01'] as const;

/** Replaced in the serialised text by a raw number spelling. */
const RAW_PLACEHOLDER = '__fuzz_raw_number__';

/** measuredAt values at and beyond the edges: 1970, 2100, year 0000 and 9999, odd offsets, not RFC 3339 at all. */
export const EDGE_MEASURED_AT = [
  '1970-01-01T00:00:00Z',
  '1970-01-01T00:00:00.000+00:00',
  '1999-12-31T23:59:59.999Z',
  '2000-01-01T00:00:00+00:01',
  '2100-01-01T00:00:00Z',
  '2100-12-31T23:59:59-23:59',
  '0000-01-01T00:00:00Z',
  '0000-01-01T00:00:00+23:59',
  '9999-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59-23:59',
  '2026-03-02T13:15:00',
  '2026-03-02 13:15:00Z',
  '2026-02-30T00:00:00Z',
  '2026-03-02T24:00:00Z',
  '2026-03-02T13:15:60Z',
  '2026-03-02T13:15:00+24:00',
  '2026-03-02T13:15:00z',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
] as const;

/** Nested arrays or objects `depth` deep, as JSON text (deeper than any recursive parser should go). */
export const nestedJsonText = (depth: number, kind: 'array' | 'object'): string =>
  kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

// ---------------------------------------------------------------------------------------------
// JSON mutations

type Path = (string | number)[];

/** Every node's path, root first (iterative: a mutated message may be thousands of levels deep). */
function pathsOf(root: Json): Path[] {
  const paths: Path[] = [];
  const stack: { value: Json; path: Path }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    paths.push(path);
    if (value !== null && typeof value === 'object') {
      const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
      for (const [key, child] of entries.reverse()) stack.push({ value: child, path: [...path, key] });
    }
  }
  return paths;
}

function parentOf(root: Json, path: Path): { parent: Json; key: string | number } | null {
  if (path.length === 0) return null;
  let parent = root;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key]!;
  return { parent, key: path[path.length - 1]! };
}

function setAt(root: Json, path: Path, value: Json): Json {
  const at = parentOf(root, path);
  if (!at) return value;
  (at.parent as Record<string | number, Json>)[at.key] = value;
  return root;
}

function removeAt(root: Json, path: Path): Json {
  const at = parentOf(root, path);
  if (!at) return null;
  if (Array.isArray(at.parent)) at.parent.splice(at.key as number, 1);
  else delete (at.parent as JsonObject)[at.key as string];
  return root;
}

/** What to do to one node of the message tree. */
export type TreeMutation =
  | { op: 'drop' }
  | { op: 'duplicate' }
  | { op: 'replace'; value: Json }
  | { op: 'raw-number'; text: string }
  | { op: 'nest'; text: string }
  | { op: 'extra-field'; key: string; value: Json };

const hostileJson: fc.Arbitrary<Json> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.constantFrom<Json>(null, true, false, [], {}, [2047], { value: 97 }, ['97']),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

/** Mutations that keep the message a plain JSON tree (so that more can follow). */
const structuralMutation: fc.Arbitrary<TreeMutation> = fc.oneof(
  fc.constant<TreeMutation>({ op: 'drop' }),
  fc.constant<TreeMutation>({ op: 'duplicate' }),
  hostileJson.map((value): TreeMutation => ({ op: 'replace', value })),
  fc
    .tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'type', 'value', 'unit', 'device', ''), hostileString), hostileJson)
    .map(([key, value]): TreeMutation => ({ op: 'extra-field', key, value })),
);

/** One mutation of a JSON tree: any node dropped, duplicated, retyped, given a raw number or deep nesting, or an extra field. */
export const treeMutation: fc.Arbitrary<TreeMutation> = fc.oneof(
  { weight: 4, arbitrary: structuralMutation },
  { weight: 1, arbitrary: fc.constantFrom(...RAW_NUMBER_TEXTS).map((text): TreeMutation => ({ op: 'raw-number', text })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 3000 }), fc.constantFrom<'array' | 'object'>('array', 'object'))
      .map(([depth, kind]): TreeMutation => ({ op: 'nest', text: nestedJsonText(depth, kind) })),
  },
);

/** Applies one mutation to the node at `pick` (an index into the tree's nodes, wrapped) and serialises. */
export function mutateJson(message: Json, pick: number, mutation: TreeMutation): string {
  const root = structuredClone(message);
  const paths = pathsOf(root);
  const path = paths[pick % paths.length]!;
  const node = path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, root);
  let rawText: string | null = null;
  let mutated: Json;
  switch (mutation.op) {
    case 'drop':
      mutated = removeAt(root, path);
      break;
    case 'duplicate': {
      const at = parentOf(root, path);
      if (at && Array.isArray(at.parent)) at.parent.splice(at.key as number, 0, structuredClone(node));
      mutated = at ? root : [root, root];
      break;
    }
    case 'replace':
      mutated = setAt(root, path, mutation.value);
      break;
    case 'raw-number':
    case 'nest':
      rawText = mutation.text;
      mutated = setAt(root, path, RAW_PLACEHOLDER);
      break;
    case 'extra-field':
      if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
        // defineProperty: a "__proto__" key must become an own property, as JSON.parse makes it.
        Object.defineProperty(node, mutation.key, { value: mutation.value, enumerable: true, writable: true, configurable: true });
      }
      mutated = root;
      break;
  }
  const text = JSON.stringify(mutated) ?? 'undefined';
  return rawText === null ? text : text.replace(`"${RAW_PLACEHOLDER}"`, rawText);
}

/** A key written twice in the object text ("value": 97, "value": "97"): JSON.parse keeps the last. */
export function duplicateKeyText(text: string, pick: number, replacement: string): string {
  const keys = [...text.matchAll(/"([A-Za-z_]+)":/g)];
  if (keys.length === 0) return text;
  const match = keys[pick % keys.length]!;
  return `${text.slice(0, match.index)}"${match[1]}":${replacement},${text.slice(match.index)}`;
}

// ---------------------------------------------------------------------------------------------
// The families

const withFamily = (family: string) => (payload: Buffer | string): FuzzPayload => ({
  family,
  payload: typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload,
});

/**
 * Every family of hostile payload, built around valid messages measured at `instantMs` and the
 * contract's valid fixtures.
 */
export function fuzzPayload(instantMs: number, fixtures: readonly Buffer[] = validFixturePayloads().map((f) => f.payload)): fc.Arbitrary<FuzzPayload> {
  const base: fc.Arbitrary<JsonObject> = fc.oneof(validEnvelope(instantMs), fc.constantFrom(...fixtures).map((b) => JSON.parse(b.toString('utf8')) as JsonObject));
  return fuzzPayloadAround(base);
}

/**
 * Every family of hostile payload around one kind of valid message: the message itself, its JSON
 * mutated (once or several times), edge timestamps, duplicate keys, 2047 error frames, truncation,
 * flipped bytes, and, unrelated to it, random bytes and random JSON; plus its size pushed to the limit.
 */
export function fuzzPayloadAround(base: fc.Arbitrary<JsonObject>): fc.Arbitrary<FuzzPayload> {
  const baseText = base.map((m) => JSON.stringify(m));
  return fc.oneof(
    { weight: 3, arbitrary: baseText.map(withFamily('valid')) },
    { weight: 6, arbitrary: fc.tuple(base, fc.nat(), treeMutation).map(([m, pick, mut]) => withFamily(`mutated:${mut.op}`)(mutateJson(m, pick, mut))) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(base, fc.nat(), fc.array(structuralMutation, { minLength: 2, maxLength: 5 }))
        .map(([m, pick, muts]) => withFamily('mutated:several')(muts.reduce<string>((text, mut, i) => mutateJson(JSON.parse(text) as Json, pick + i * 7, mut), JSON.stringify(m)))),
    },
    { weight: 1, arbitrary: fc.tuple(base, fc.constantFrom(...EDGE_MEASURED_AT)).map(([m, at]) => withFamily('measured-at-edge')(JSON.stringify({ ...m, measuredAt: at }))) },
    {
      weight: 1,
      arbitrary: fc.tuple(baseText, fc.nat(), fc.constantFrom('"97"', '2047', 'null', '1e309', '"x"')).map(([t, pick, r]) => withFamily('duplicate-key')(duplicateKeyText(t, pick, r))),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(base, fc.constantFrom('systolic', 'diastolic', 'value', 'all')).map(([m, field]) =>
        withFamily('error-frame-2047')(JSON.stringify(m, (k, v: unknown) => ((field === 'all' || k === field) && typeof v === 'number' && k !== '' ? 2047 : v))),
      ),
    },
    { weight: 2, arbitrary: fc.tuple(baseText, fc.nat()).map(([t, n]) => withFamily('truncated')(Buffer.from(t, 'utf8').subarray(0, n % Buffer.byteLength(t)))) },
    { weight: 1, arbitrary: fc.tuple(baseText, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([t, at, byte]) => withFamily('byte-flip')(flipByte(Buffer.from(t, 'utf8'), at, byte))) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((b) => withFamily('random-bytes')(Buffer.from(b))) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => withFamily('random-json')(JSON.stringify(v) ?? 'null')) },
    { weight: 1, arbitrary: fc.tuple(base, fc.integer({ min: -64, max: 4096 })).map(([m, extra]) => withFamily('size-limit')(toSize(m, MAX_DEVICE_PAYLOAD_BYTES + extra))) },
  );
}

function flipByte(bytes: Buffer, at: number, byte: number): Buffer {
  const copy = Buffer.from(bytes);
  if (copy.length > 0) copy[at % copy.length] = byte;
  return copy;
}

/** The message padded (a long extra field) to exactly `bytes` bytes when it fits, else as it is. */
export function toSize(message: Json, bytes: number): string {
  const text = JSON.stringify({ ...(message as JsonObject), padding: '' });
  const missing = bytes - Buffer.byteLength(text);
  return missing < 0 ? text : JSON.stringify({ ...(message as JsonObject), padding: 'p'.repeat(missing) });
}
