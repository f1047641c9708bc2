import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { parseRequest } from './http';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as BadRequestException).getResponse();
  }
  throw new Error('not refused');
};

describe('parseRequest', () => {
  const Body = z.object({ name: z.string().min(1), tags: z.array(z.string()).default([]), extra: z.unknown().optional() });

  it('returns what the contract parsed (defaults applied)', () => {
    expect(parseRequest(Body, { name: 'Ann' })).toEqual({ name: 'Ann', tags: [] });
  });

  it('refuses what the contract refuses with a 400 naming each field', () => {
    expect(refusal(() => parseRequest(Body, { name: '' }))).toMatchObject({ statusCode: 400, error: 'Bad Request', issues: [{ field: 'name' }] });
  });

  // Found by fuzzing (issue 8, section 4): PUT /api/v1/care-teams/{id}/members/%00 passed the contract and failed in PostgreSQL as a 500.
  it('refuses a NUL anywhere in what the contract accepted (PostgreSQL text cannot hold it), values and keys alike', () => {
    expect(refusal(() => parseRequest(Body, { name: 'a\u0000b' }))).toMatchObject({ statusCode: 400, issues: [{ field: 'name', reason: expect.stringContaining('NUL') }] });
    expect(refusal(() => parseRequest(Body, { name: 'x', tags: ['ok', '\u0000'] }))).toMatchObject({ issues: [{ field: 'tags.1' }] });
    expect(refusal(() => parseRequest(Body, { name: 'x', extra: { 'k\u0000': 1 } }))).toMatchObject({ issues: [{ field: 'extra.k\u0000' }] });
  });

  it('walks a free-form field nested thousands of levels deep without overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 20_000; i += 1) deep = [deep];
    expect(parseRequest(Body, { name: 'x', extra: deep }).name).toBe('x');
  });
});
