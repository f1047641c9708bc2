import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ObservationHistoryRequest, ObservationQuery, type ObservationHistoryResponse, type ObservationSeriesResponse } from '@rpm/contracts';
import { parseRequest } from '@rpm/service-kit';
import { ObservationRepository } from './observation.repository';

const DAY_MS = 24 * 3600 * 1000;
const DEFAULT_RANGE_MS = 30 * DAY_MS;

/** auto: each reading for a month or less, hourly rollups up to half a year, daily beyond. */
export function resolutionFor(requested: ObservationQuery['resolution'], from: Date, to: Date): ObservationSeriesResponse['resolution'] {
  if (requested !== 'auto') return requested;
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  return days <= 31 ? 'raw' : days <= 180 ? 'hour' : 'day';
}

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
    const series = { patientId, code: query.code, from, to, limit: query.limit };
    const resolution = resolutionFor(query.resolution, from, to);
    if (resolution === 'raw') return { patientId, resolution, items: await this.repository.series(series), buckets: [] };
    return { patientId, resolution, items: [], buckets: await this.repository.buckets(series, resolution) };
  }

  /** Many patients' readings over a period, as observations (a backtest replays them); POST for the id list. */
  @Post('observations/history')
  @HttpCode(200)
  async history(@Body() body: unknown): Promise<ObservationHistoryResponse> {
    const request = parseRequest(ObservationHistoryRequest, body);
    return { observations: await this.repository.history(request.patientIds, new Date(request.from), new Date(request.to)) };
  }
}
