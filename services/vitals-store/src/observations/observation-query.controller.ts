import { BadRequestException, Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ObservationQuery, type ObservationSeriesResponse } from '@rpm/contracts';
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
    const parsed = ObservationQuery.safeParse(raw);
    if (!parsed.success) {
      throw new BadRequestException({
        message: 'invalid query',
        issues: parsed.error.issues.map((i) => ({ field: i.path.join('.'), reason: i.message })),
      });
    }
    const to = parsed.data.to ? new Date(parsed.data.to) : new Date();
    const from = parsed.data.from ? new Date(parsed.data.from) : new Date(to.getTime() - DEFAULT_RANGE_MS);
    const items = await this.repository.series({ patientId, code: parsed.data.code, from, to, limit: parsed.data.limit });
    return { patientId, items };
  }
}
