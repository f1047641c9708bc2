import { NotFoundException } from '@nestjs/common';
import { FhirIdPipe } from './fhir-id.pipe';

describe('FhirIdPipe', () => {
  it('passes FHIR ids and answers 404 for anything else (NUL, slashes, too long)', () => {
    const pipe = new FhirIdPipe();
    expect(pipe.transform('4d6f7f0e-0c1b-4c55-8f56-3f1e2a7c9b10')).toBe('4d6f7f0e-0c1b-4c55-8f56-3f1e2a7c9b10');
    expect(pipe.transform('cuff-1.a')).toBe('cuff-1.a');
    for (const bad of ['\u0000', 'a/b', 'x'.repeat(65), '', 'ünï']) expect(() => pipe.transform(bad)).toThrow(NotFoundException);
  });
});
