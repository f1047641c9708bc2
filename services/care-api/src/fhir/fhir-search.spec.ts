import { BadRequestException } from '@nestjs/common';
import { codesOf, countOf, dateRangeOf, offsetOf } from './fhir-search';

const ms = (iso: string) => Date.parse(iso);

describe('FHIR search parameters', () => {
  it('reads date prefixes as a range, each value at its own precision', () => {
    expect(dateRangeOf(['ge2026-11-01', 'le2026-11-30'])).toEqual({ from: ms('2026-11-01T00:00:00Z'), to: ms('2026-12-01T00:00:00Z') });
    expect(dateRangeOf(['gt2026-11-27T08:00:00Z'])).toEqual({ from: ms('2026-11-27T08:00:01Z'), to: null });
    expect(dateRangeOf(['lt2026-11-27T08:00:00+01:00'])).toEqual({ from: null, to: ms('2026-11-27T07:00:00Z') });
    expect(dateRangeOf(['2026-11'])).toEqual({ from: ms('2026-11-01T00:00:00Z'), to: ms('2026-12-01T00:00:00Z') });
    expect(dateRangeOf(['eq2026'])).toEqual({ from: ms('2026-01-01T00:00:00Z'), to: ms('2027-01-01T00:00:00Z') });
    expect(dateRangeOf(['le2026-11-27T08:00:00.250Z'])).toEqual({ from: null, to: ms('2026-11-27T08:00:00.251Z') });
  });

  it('refuses what it does not support with a 400', () => {
    for (const bad of [['ne2026-11-01'], ['yesterday'], ['ge2026-13-45']]) expect(() => dateRangeOf(bad)).toThrow(BadRequestException);
    expect(() => countOf({ _count: '0' })).toThrow(BadRequestException);
    expect(() => offsetOf({ _offset: '1e30' })).toThrow(BadRequestException);
  });

  it('caps _count and splits code tokens, dropping their system', () => {
    expect(countOf({})).toBe(50);
    expect(countOf({ _count: '9999' })).toBe(500);
    expect(codesOf({ code: ['http://loinc.org|85354-9,2708-6', '8867-4'] })).toEqual(['85354-9', '2708-6', '8867-4']);
  });
});

describe('FHIR search parameters with NUL', () => {
  it('refuses a NUL in any parameter with a 400 (PostgreSQL cannot store it)', () => {
    const { valuesOf: values } = jest.requireActual<typeof import('./fhir-search')>('./fhir-search');
    expect(() => values({ name: 'Ada\u0000' }, 'name')).toThrow('name must not contain the NUL character');
    expect(() => values({ identifier: ['ok', 'b\u0000'] }, 'identifier')).toThrow('identifier must not contain the NUL character');
    expect(values({ name: 'Ada' }, 'name')).toEqual(['Ada']);
  });
});
