import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { CareTeamId, PutCareTeamRequest, type CareTeamResponse } from '@rpm/contracts';
import { parseRequest } from '@rpm/service-kit';
import { z } from 'zod';
import { CurrentUser, type AuthenticatedUser } from '../auth/authenticated-user';
import { Roles } from '../auth/roles.decorator';
import { CareTeamsService } from './care-teams.service';

const TeamParams = z.object({ id: CareTeamId });
const MemberParams = z.object({ id: CareTeamId, userId: z.string().trim().min(1).max(200) });

/** Admins manage care teams and who is in them. */
@Controller('api/v1/care-teams')
export class CareTeamsController {
  constructor(private readonly teams: CareTeamsService) {}

  @Get()
  @Roles('admin')
  list(): Promise<CareTeamResponse[]> {
    return this.teams.list();
  }

  @Put(':id')
  @Roles('admin')
  put(@Param() params: unknown, @Body() body: unknown): Promise<CareTeamResponse> {
    return this.teams.put(parseRequest(TeamParams, params).id, parseRequest(PutCareTeamRequest, body));
  }

  @Put(':id/members/:userId')
  @Roles('admin')
  addMember(@Param() params: unknown, @CurrentUser() user: AuthenticatedUser): Promise<CareTeamResponse> {
    const { id, userId } = parseRequest(MemberParams, params);
    return this.teams.addMember(id, userId, user.sub);
  }

  @Delete(':id/members/:userId')
  @Roles('admin')
  removeMember(@Param() params: unknown): Promise<CareTeamResponse> {
    const { id, userId } = parseRequest(MemberParams, params);
    return this.teams.removeMember(id, userId);
  }
}
