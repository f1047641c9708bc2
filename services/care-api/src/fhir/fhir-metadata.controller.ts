import { Controller, Get, Header, Req, UseFilters } from '@nestjs/common';
import { PublicRoute } from '@rpm/service-kit';
import { capabilityStatement } from './capability-statement';
import { fhirBaseOf, type FhirRequest } from './fhir.controller';
import { FHIR_JSON_UTF8, type FhirResource } from './fhir-types';
import { OperationOutcomeFilter } from './operation-outcome.filter';

/** When this process started: the CapabilityStatement's date (what it states changes only with a release). */
const STARTED_AT = new Date().toISOString();

/** GET /fhir/R4/metadata: open to anyone, as FHIR clients read it before they authenticate; it holds no data. */
@Controller('fhir/R4')
@UseFilters(OperationOutcomeFilter)
@PublicRoute()
export class FhirMetadataController {
  @Get('metadata')
  @Header('Content-Type', FHIR_JSON_UTF8)
  metadata(@Req() request: FhirRequest): FhirResource {
    return capabilityStatement(fhirBaseOf(request), STARTED_AT);
  }
}
