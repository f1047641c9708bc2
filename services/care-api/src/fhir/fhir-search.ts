import { BadRequestException } from '@nestjs/common';
import type { Bundle, BundleLink, FhirResource } from './fhir-types';

/** A request's query as Express gives it: a repeated parameter (`date=ge..&date=le..`) is an array. */
export type RawQuery = Record<string, string | string[] | undefined>;

export const DEFAULT_COUNT = 50;
/** Large enough for a month of a patient's readings on a page, small enough to bound one response. */
export const MAX_COUNT = 500;

export const valuesOf = (query: RawQuery, name: string): string[] => {
  const v = query[name];
  const values = v === undefined ? [] : Array.isArray(v) ? v : [v];
  // PostgreSQL text cannot hold NUL: refused here, not as a database error (a 500).
  if (values.some((value) => value.includes('\u0000'))) throw new BadRequestException(`${name} must not contain the NUL character`);
  return values;
};

export const firstOf = (query: RawQuery, name: string): string | undefined => valuesOf(query, name)[0];

/** `_count`: 1..500, 50 when absent (0, a count-only search, is not supported). */
export function countOf(query: RawQuery): number {
  const raw = firstOf(query, '_count');
  if (raw === undefined) return DEFAULT_COUNT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new BadRequestException(`_count must be a whole number from 1 to ${MAX_COUNT}`);
  return Math.min(n, MAX_COUNT);
}

/** Far beyond any real registry or worklist, and within what PostgreSQL's OFFSET takes. */
const MAX_OFFSET = 10_000_000;

/** `_offset` of the database-backed searches (opaque to clients: they follow the next link). */
export function offsetOf(query: RawQuery): number {
  const raw = firstOf(query, '_offset');
  if (raw === undefined) return 0;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_OFFSET) throw new BadRequestException(`_offset must be a whole number from 0 to ${MAX_OFFSET}`);
  return n;
}

/** A time range [from, to) in ms; either end open. */
export interface TimeRange {
  from: number | null;
  to: number | null;
}

const DATE_VALUE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

/** The span a FHIR date search value stands for: a year, a month, a day, a second (or a precise instant). */
function spanOf(value: string): [number, number] {
  const m = DATE_VALUE.exec(value);
  if (!m) throw new BadRequestException(`date value "${value}" is not a FHIR date or dateTime (e.g. 2026-11-27 or 2026-11-27T08:00:00Z)`);
  const [, y, mo, d, h, , s, frac] = m;
  if (h !== undefined) {
    const start = Date.parse(value);
    if (Number.isNaN(start)) throw new BadRequestException(`date value "${value}" is not a valid time`);
    const width = frac ? 1 : s !== undefined ? 1000 : 60_000;
    return [start, start + width];
  }
  // A date without a time zone is taken in UTC (the server's zone, as FHIR allows).
  const [year, month, day] = [Number(y), mo ? Number(mo) : 1, d ? Number(d) : 1];
  const start = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 2026-13-45 over into 2027; FHIR says it is no date.
  const check = new Date(start);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new BadRequestException(`date value "${value}" is not a valid date`);
  }
  const end = d ? start + 86_400_000 : mo ? Date.UTC(year, month, 1) : Date.UTC(year + 1, 0, 1);
  return [start, end];
}

/** Every `date` parameter ANDed (FHIR: `date=ge2026-11-01&date=le2026-11-30`); prefixes eq (none), ge, gt, le, lt. */
export function dateRangeOf(values: readonly string[]): TimeRange {
  const range: TimeRange = { from: null, to: null };
  const narrowFrom = (ms: number) => (range.from = range.from === null ? ms : Math.max(range.from, ms));
  const narrowTo = (ms: number) => (range.to = range.to === null ? ms : Math.min(range.to, ms));
  for (const raw of values) {
    const prefix = /^(eq|ge|gt|le|lt|ne|sa|eb|ap)/.exec(raw)?.[1] ?? 'eq';
    const [start, end] = spanOf(raw.slice(/^[a-z]{2}/.test(raw) ? 2 : 0));
    switch (prefix) {
      case 'eq':
        narrowFrom(start);
        narrowTo(end);
        break;
      case 'ge':
        narrowFrom(start);
        break;
      case 'gt':
        narrowFrom(end);
        break;
      case 'le':
        narrowTo(end);
        break;
      case 'lt':
        narrowTo(start);
        break;
      default:
        throw new BadRequestException(`date prefix ${prefix} is not supported (eq, ge, gt, le, lt are)`);
    }
  }
  return range;
}

/** `code`: comma-separated tokens, each `code` or `system|code` (the system is accepted and not checked: LOINC or ours). */
export function codesOf(query: RawQuery): string[] {
  return valuesOf(query, 'code')
    .flatMap((v) => v.split(','))
    .map((token) => token.slice(token.lastIndexOf('|') + 1))
    .filter(Boolean);
}

/** The search URL of this server for a type, with the given parameters (the links of a searchset). */
export function searchUrl(base: string, type: string, params: URLSearchParams): string {
  const query = params.toString();
  return `${base}/${type}${query ? `?${query}` : ''}`;
}

/** The request's own parameters, less the paging ones (the next link sets its own). */
export function searchParamsOf(query: RawQuery, drop: readonly string[] = ['_offset', '_cursor']): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (drop.includes(name) || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
  }
  return params;
}

export function searchsetBundle(base: string, resources: readonly FhirResource[], links: BundleLink[], total?: number): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(total !== undefined ? { total } : {}),
    link: links,
    entry: resources.map((resource) => ({ fullUrl: `${base}/${resource.resourceType}/${resource.id}`, resource, search: { mode: 'match' } })),
  };
}
