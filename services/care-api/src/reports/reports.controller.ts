import { Controller, Get, Query } from '@nestjs/common';
import { AlertBurdenQuery, type AlertBurdenResponse } from '@rpm/contracts';
import { parseRequest } from '@rpm/service-kit';
import { Roles } from '../auth/roles.decorator';
import { AlertBurdenRepository } from './alert-burden.repository';

const DAY_MS = 86_400_000;

@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly burden: AlertBurdenRepository) {}

  /** Aggregates only (no patient data): for clinical leads tuning protocols, and admins. */
  @Get('alert-burden')
  @Roles('admin', 'clinical_lead')
  async alertBurden(@Query() query: unknown): Promise<AlertBurdenResponse> {
    const q = parseRequest(AlertBurdenQuery, query);
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY_MS);
    return { from: from.toISOString(), to: to.toISOString(), rows: await this.burden.report(from, to, { programme: q.programme, careTeamId: q.careTeamId }) };
  }
}
