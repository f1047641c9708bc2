import { BadRequestException } from '@nestjs/common';
import { decodeCursor, encodeCursor } from './fhir-observations.service';

describe('the Observation paging cursor', () => {
  it('round-trips the last reading of a page', () => {
    const cursor = { t: Date.parse('2026-11-27T13:00:05.250Z'), id: '0f8fad5b-d9cb-469f-a165-70867728950e.mi0n9w1.0123456789abcdef' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it('refuses a cursor this server did not issue with a 400, never a 500', () => {
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const raw of ['not base64 json', forged([1e300, 'x']), forged(['t', 'x']), forged([0, 'x'.repeat(65)])]) {
      expect(() => decodeCursor(raw)).toThrow(BadRequestException);
    }
  });
});
