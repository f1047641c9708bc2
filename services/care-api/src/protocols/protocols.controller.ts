import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import {
  BacktestRequest,
  ProtocolDraftRequest,
  PublishProtocolRequest,
  RollbackProtocolRequest,
  type BacktestResponse,
  type ProgrammeProtocolResponse,
  type ProtocolVersionResponse,
} from '@rpm/contracts';
import { parseRequest } from '@rpm/service-kit';
import { CurrentUser, type AuthenticatedUser } from '../auth/authenticated-user';
import { Roles } from '../auth/roles.decorator';
import { BacktestsService } from './backtests.service';
import { ParseProtocolVersionPipe } from './protocol-version.pipe';
import { ProtocolVersionsService } from './protocol-versions.service';

/** Programme protocols: read by the care team, changed by clinical leads and admins only. */
@Controller('api/v1/protocols')
export class ProtocolsController {
  constructor(
    private readonly versions: ProtocolVersionsService,
    private readonly backtests: BacktestsService,
  ) {}

  @Get(':programme')
  @Roles('admin', 'clinical_lead', 'nurse')
  get(@Param('programme') programme: string): Promise<ProgrammeProtocolResponse> {
    return this.versions.get(programme);
  }

  @Post(':programme/versions')
  @Roles('admin', 'clinical_lead')
  createDraft(@Param('programme') programme: string, @Body() body: unknown, @CurrentUser() user: AuthenticatedUser): Promise<ProtocolVersionResponse> {
    return this.versions.createDraft(programme, parseRequest(ProtocolDraftRequest, body), user);
  }

  @Put(':programme/versions/:version')
  @Roles('admin', 'clinical_lead')
  updateDraft(
    @Param('programme') programme: string,
    @Param('version', ParseProtocolVersionPipe) version: number,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ProtocolVersionResponse> {
    return this.versions.updateDraft(programme, version, parseRequest(ProtocolDraftRequest, body), user);
  }

  @Post(':programme/versions/:version/publish')
  @HttpCode(200)
  @Roles('admin', 'clinical_lead')
  publish(
    @Param('programme') programme: string,
    @Param('version', ParseProtocolVersionPipe) version: number,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ProtocolVersionResponse> {
    const { effectiveAt } = parseRequest(PublishProtocolRequest, body);
    return this.versions.publish(programme, version, effectiveAt ? new Date(effectiveAt) : null, user);
  }

  @Post(':programme/versions/:version/rollback')
  @Roles('admin', 'clinical_lead')
  rollback(
    @Param('programme') programme: string,
    @Param('version', ParseProtocolVersionPipe) version: number,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ProtocolVersionResponse> {
    return this.versions.rollback(programme, version, parseRequest(RollbackProtocolRequest, body).reason, user);
  }

  /** Replays the programme's patients' stored readings under this version and the one in force: 202 with the job. */
  @Post(':programme/versions/:version/backtests')
  @HttpCode(202)
  @Roles('admin', 'clinical_lead')
  startBacktest(
    @Param('programme') programme: string,
    @Param('version', ParseProtocolVersionPipe) version: number,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<BacktestResponse> {
    return this.backtests.startProgramme(this.versions.programmeOf(programme), version, parseRequest(BacktestRequest, body), user);
  }
}

/** Backtest jobs: progress, result, cancellation. */
@Controller('api/v1/backtests')
export class BacktestsController {
  constructor(private readonly backtests: BacktestsService) {}

  @Get(':id')
  @Roles('admin', 'clinical_lead')
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<BacktestResponse> {
    return this.backtests.get(id);
  }

  @Delete(':id')
  @Roles('admin', 'clinical_lead')
  cancel(@Param('id', new ParseUUIDPipe()) id: string): Promise<BacktestResponse> {
    return this.backtests.cancel(id);
  }
}
