import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ObservationHistoryRequest, ObservationQuery, type ObservationHistoryResponse, type ObservationSeriesResponse } from '@rpm/contracts';
import { parseRequest } from '@rpm/service-kit';
import { ObservationRepository } from './observation.repository';

const DAY_MS = 24 * 3600 * 1000;
const DEFAULT_RANGE_MS = 30 * DAY_MS;

/** Codes a patient's series can hold (BP two, HR, SpO2, RR, temperature, weight, glucose): for sizing a request without a code. */
const CODES_PER_PATIENT = 8;

/**
 * auto: each reading for a month or less; beyond, hourly rollups while the buckets fit the limit
 * (else the oldest part would fill it and the newest be cut off), daily otherwise.
 */
export function resolutionFor(requested: ObservationQuery['resolution'], from: Date, to: Date, limit: number, oneCode: boolean): ObservationSeriesResponse['resolution'] {
  if (requested !== 'auto') return requested;
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  if (days <= 31) return 'raw';
  return days * 24 * (oneCode ? 1 : CODES_PER_PATIENT) <= limit ? 'hour' : 'day';
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
    const resolution = resolutionFor(query.resolution, from, to, query.limit, query.code !== undefined);
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
