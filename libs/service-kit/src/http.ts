import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/**
 * Parses a request body or query with its shared zod contract; a failure is a 400 that
 * names each field and the reason (e.g. "timezone: must be an IANA time zone").
 */
export function parseRequest<S extends z.ZodTypeAny>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', reason: i.message }));
  throw new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: issues.map((i) => `${i.field}: ${i.reason}`).join('; '),
    issues,
  });
}
