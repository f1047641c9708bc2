import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { AlertListQuery, ResolveAlertRequest, type AlertListResponse, type AlertResponse } from '@rpm/contracts';
import { parseRequest } from '@rpm/service-kit';
import { careTeamScope, CurrentUser, type AuthenticatedUser } from '../auth/authenticated-user';
import { Roles } from '../auth/roles.decorator';
import { AlertLifecycleService } from './alert-lifecycle.service';
import { AlertQueryRepository } from './alert-query.repository';

@Controller('api/v1/alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertQueryRepository,
    private readonly lifecycle: AlertLifecycleService,
  ) {}

  @Get()
  @Roles('admin', 'clinical_lead', 'nurse')
  list(@Query() query: unknown, @CurrentUser() user: AuthenticatedUser): Promise<AlertListResponse> {
    return this.alerts.list(parseRequest(AlertListQuery, query), careTeamScope(user));
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('admin', 'nurse')
  acknowledge(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<AlertResponse> {
    return this.lifecycle.acknowledge(id, user);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('admin', 'nurse')
  resolve(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: unknown, @CurrentUser() user: AuthenticatedUser): Promise<AlertResponse> {
    return this.lifecycle.resolve(id, user, parseRequest(ResolveAlertRequest, body));
  }
}
