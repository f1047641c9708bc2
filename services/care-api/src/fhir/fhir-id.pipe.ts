import { Injectable, NotFoundException, type PipeTransform } from '@nestjs/common';
import { FHIR_ID } from './fhir-ids';

/** A path id that is no FHIR id (`[A-Za-z0-9-.]{1,64}`) names no resource: 404, before any query. */
@Injectable()
export class FhirIdPipe implements PipeTransform<string, string> {
  transform(id: string): string {
    if (!FHIR_ID.test(id)) throw new NotFoundException('no resource with that id (not a FHIR id)');
    return id;
  }
}
