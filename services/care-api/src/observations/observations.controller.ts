import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ObservationQuery, type ObservationSeriesResponse } from '@rpm/contracts';
import { parseRequest } from '@rpm/service-kit';
import { CurrentUser, type AuthenticatedUser } from '../auth/authenticated-user';
import { Roles } from '../auth/roles.decorator';
import { PatientsService } from '../patients/patients.service';
import { VitalsStoreClient } from './vitals-store.client';

@Controller('api/v1/patients')
export class ObservationsController {
  constructor(
    private readonly patients: PatientsService,
    private readonly vitals: VitalsStoreClient,
  ) {}

  /** The stored time series in canonical units; default range: the last 30 days. */
  @Get(':id/observations')
  @Roles('admin', 'clinical_lead', 'nurse')
  async series(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: Record<string, string>,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ObservationSeriesResponse> {
    const parsed = parseRequest(ObservationQuery, query);
    await this.patients.getVisible(id, user);
    const forwarded: Record<string, string> = { limit: String(parsed.limit), resolution: parsed.resolution };
    if (parsed.code) forwarded['code'] = parsed.code;
    if (parsed.from) forwarded['from'] = parsed.from;
    if (parsed.to) forwarded['to'] = parsed.to;
    return this.vitals.series(id, forwarded);
  }
}
