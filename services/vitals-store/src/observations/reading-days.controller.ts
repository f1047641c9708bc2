import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ReadingDaysRequest, type ReadingDaysResponse } from '@rpm/contracts';
import { parseRequest } from '@rpm/service-kit';
import { ReadingDaysRepository } from './reading-days.repository';

/** HTTP in (thin), internal like the query API: care-api counts billing data days with it. */
@Controller('internal/v1')
export class ReadingDaysController {
  constructor(private readonly repository: ReadingDaysRepository) {}

  /** Each patient's local days with readings in [from, to); POST for the list of patients and zones. */
  @Post('observations/reading-days')
  @HttpCode(200)
  async readingDays(@Body() body: unknown): Promise<ReadingDaysResponse> {
    return this.repository.readingDays(parseRequest(ReadingDaysRequest, body));
  }
}
