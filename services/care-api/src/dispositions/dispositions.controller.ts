import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { DispositionCode, PutDispositionRequest, type DispositionResponse } from '@rpm/contracts';
import { parseRequest } from '@rpm/service-kit';
import { z } from 'zod';
import { CurrentUser, type AuthenticatedUser } from '../auth/authenticated-user';
import { Roles } from '../auth/roles.decorator';
import { DispositionsService } from './dispositions.service';

const Code = z.object({ code: DispositionCode });

@Controller('api/v1/dispositions')
export class DispositionsController {
  constructor(private readonly dispositions: DispositionsService) {}

  /** Every disposition, inactive ones included (flagged): screens offer the active ones. */
  @Get()
  @Roles('admin', 'clinical_lead', 'nurse')
  list(): Promise<DispositionResponse[]> {
    return this.dispositions.list();
  }

  @Put(':code')
  @Roles('admin')
  put(@Param() params: unknown, @Body() body: unknown, @CurrentUser() user: AuthenticatedUser): Promise<DispositionResponse> {
    return this.dispositions.put(parseRequest(Code, params).code, parseRequest(PutDispositionRequest, body), user.sub);
  }
}
