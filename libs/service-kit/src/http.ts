import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

interface RequestIssue {
  field: string;
  reason: string;
}

const NUL = '\u0000';
const NUL_REASON = 'must not contain the NUL character (\\u0000)';

/** A node of the walk: its parent and key, so that a path is spelled only for a NUL found (linear in the input). */
interface Visit {
  readonly value: unknown;
  readonly key: string | null;
  readonly parent: Visit | null;
}

function pathOf(visit: Visit | null, key: string | null = null): string {
  const keys: string[] = key === null ? [] : [key];
  for (let v = visit; v !== null; v = v.parent) if (v.key !== null) keys.unshift(v.key);
  return keys.join('.') || '(body)';
}

/**
 * Where the parsed input carries a NUL, in a value or a key. PostgreSQL text cannot store one, so
 * such a string would fail at the database as a 500 (found by fuzzing, issue 8 section 4).
 * Iterative and linear: a free-form field may hold JSON nested tens of thousands of levels deep.
 */
function nulIssues(input: unknown): RequestIssue[] {
  const issues: RequestIssue[] = [];
  const stack: Visit[] = [{ value: input, key: null, parent: null }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { value } = visit;
    if (typeof value === 'string') {
      if (value.includes(NUL)) issues.push({ field: pathOf(visit), reason: NUL_REASON });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key.includes(NUL)) issues.push({ field: pathOf(visit, key), reason: NUL_REASON });
        stack.push({ value: child, key, parent: visit });
      }
    }
  }
  return issues;
}

function badRequest(issues: RequestIssue[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: issues.map((i) => `${i.field}: ${i.reason}`).join('; '),
    issues,
  });
}

/**
 * Parses a request body or query with its shared zod contract; a failure is a 400 that
 * names each field and the reason (e.g. "timezone: must be an IANA time zone"). A NUL
 * character anywhere in what the contract accepted is refused the same way.
 */
export function parseRequest<S extends z.ZodTypeAny>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    throw badRequest(parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', reason: i.message })));
  }
  const nul = nulIssues(parsed.data);
  if (nul.length > 0) throw badRequest(nul);
  return parsed.data;
}
