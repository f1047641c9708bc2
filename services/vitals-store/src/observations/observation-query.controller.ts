import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ObservationHistoryRequest, ObservationQuery, type ObservationHistoryResponse, type ObservationSeriesResponse } from '@rpm/contracts';
import { parseRequest } from '@rpm/service-kit';
import { ObservationRepository } from './observation.repository';

const DEFAULT_RANGE_MS = 30 * 24 * 3600 * 1000;

/**
 * HTTP in (thin), internal: care-api calls it on behalf of authenticated, audited users.
 * Bound to loopback / the service network; it is not the public API.
 */
@Controller('internal/v1')
export class ObservationQueryController {
  constructor(private readonly repository: ObservationRepository) {}

  @Get('patients/:patientId/observations')
  async series(
    @Param('patientId', new ParseUUIDPipe()) patientId: string,
    @Query() raw: Record<string, string>,
  ): Promise<ObservationSeriesResponse> {
    const query = parseRequest(ObservationQuery, raw);
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_RANGE_MS);
    const items = await this.repository.series({ patientId, code: query.code, from, to, limit: query.limit });
    return { patientId, items };
  }

  /** Many patients' readings over a period, as observations (a backtest replays them); POST for the id list. */
  @Post('observations/history')
  @HttpCode(200)
  async history(@Body() body: unknown): Promise<ObservationHistoryResponse> {
    const request = parseRequest(ObservationHistoryRequest, body);
    return { observations: await this.repository.history(request.patientIds, new Date(request.from), new Date(request.to)) };
  }
}
