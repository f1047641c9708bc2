import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import {
  CreatePatientRequest,
  PatientBacktestRequest,
  RollbackProtocolRequest,
  SetProtocolOverridesRequest,
  type BacktestResponse,
  type EffectiveProtocolResponse,
  type PatientProtocolVersionResponse,
  type PatientResponse,
} from '@rpm/contracts';
import { parseRequest } from '@rpm/service-kit';
import { CurrentUser, type AuthenticatedUser } from '../auth/authenticated-user';
import { Roles } from '../auth/roles.decorator';
import { BacktestsService } from '../protocols/backtests.service';
import { ParseProtocolVersionPipe } from '../protocols/protocol-version.pipe';
import { PatientsService, toPatientResponse } from './patients.service';

@Controller('api/v1/patients')
export class PatientsController {
  constructor(
    private readonly patients: PatientsService,
    private readonly backtests: BacktestsService,
  ) {}

  @Post()
  @Roles('admin')
  async create(@Body() body: unknown): Promise<PatientResponse> {
    return toPatientResponse(await this.patients.create(parseRequest(CreatePatientRequest, body)));
  }

  @Get(':id')
  @Roles('admin', 'clinical_lead', 'nurse')
  async get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<PatientResponse> {
    return toPatientResponse(await this.patients.getVisible(id, user));
  }

  /** The effective protocol: every rule that applies, and whether each value is the programme's or the patient's own. */
  @Get(':id/protocol')
  @Roles('admin', 'clinical_lead', 'nurse')
  async protocol(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<EffectiveProtocolResponse> {
    return this.patients.effectiveProtocol(await this.patients.getVisible(id, user));
  }

  /** Replaces the patient's overrides (a new protocol version); nurses cannot change protocols. */
  @Put(':id/protocol/overrides')
  @Roles('admin', 'clinical_lead')
  async setOverrides(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<EffectiveProtocolResponse> {
    return this.patients.effectiveProtocol(await this.patients.setOverrides(id, parseRequest(SetProtocolOverridesRequest, body), user));
  }

  /** Every change of the patient's overrides: who, why, when, and what changed. */
  @Get(':id/protocol/versions')
  @Roles('admin', 'clinical_lead', 'nurse')
  protocolVersions(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<PatientProtocolVersionResponse[]> {
    return this.patients.protocolVersions(id, user);
  }

  /** Back to the overrides of an earlier version (1: none), as a new version. */
  @Post(':id/protocol/versions/:version/rollback')
  @Roles('admin', 'clinical_lead')
  async rollbackProtocol(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('version', ParseProtocolVersionPipe) version: number,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<EffectiveProtocolResponse> {
    const { reason } = parseRequest(RollbackProtocolRequest, body);
    return this.patients.effectiveProtocol(await this.patients.rollbackOverrides(id, version, reason, user));
  }

  /** What a draft of the patient's overrides would have raised over a period, against the overrides in force: 202 with the job (GET /backtests/{id}). */
  @Post(':id/protocol/backtests')
  @HttpCode(202)
  @Roles('admin', 'clinical_lead')
  async backtest(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: unknown, @CurrentUser() user: AuthenticatedUser): Promise<BacktestResponse> {
    const request = parseRequest(PatientBacktestRequest, body);
    return this.backtests.startPatient(await this.patients.getVisible(id, user), request, user);
  }
}
