import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { DeadLetterListQuery, type DeadLetterListResponse, type DeadLetterResponse } from '@rpm/contracts';
import { parseRequest } from '@rpm/service-kit';
import { z } from 'zod';
import { CurrentUser, type AuthenticatedUser } from '../auth/authenticated-user';
import { Roles } from '../auth/roles.decorator';
import { DeadLettersService } from './dead-letters.service';

const IdParams = z.object({ id: z.string().regex(/^\d{1,18}$/, 'a dead letter id') });

/** Operators' view of rejected and quarantined readings (raw payloads: admins only). */
@Controller('api/v1/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @Roles('admin')
  list(@Query() query: unknown): Promise<DeadLetterListResponse> {
    return this.deadLetters.list(parseRequest(DeadLetterListQuery, query));
  }

  @Get(':id')
  @Roles('admin')
  get(@Param() params: unknown): Promise<DeadLetterResponse> {
    return this.deadLetters.get(parseRequest(IdParams, params).id);
  }

  /** Judges the kept message again and sends its readings on; once (409 after). */
  @Post(':id/replay')
  @HttpCode(200)
  @Roles('admin')
  replay(@Param() params: unknown, @CurrentUser() user: AuthenticatedUser): Promise<DeadLetterResponse> {
    return this.deadLetters.replay(parseRequest(IdParams, params).id, user.sub);
  }
}
