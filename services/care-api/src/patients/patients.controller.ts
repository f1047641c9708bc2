import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CreatePatientRequest, type PatientResponse } from '@rpm/contracts';
import { parseRequest } from '@rpm/service-kit';
import { CurrentUser, type AuthenticatedUser } from '../auth/authenticated-user';
import { Roles } from '../auth/roles.decorator';
import { PatientsService, toPatientResponse } from './patients.service';

@Controller('api/v1/patients')
export class PatientsController {
  constructor(private readonly patients: PatientsService) {}

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
}
