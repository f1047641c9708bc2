import { Controller, Get } from '@nestjs/common';
import type { MeResponse } from '@rpm/contracts';
import { careTeamScope, CurrentUser, type AuthenticatedUser } from './authenticated-user';
import { Roles } from './roles.decorator';

/** Who the caller is to this API: the screens show it and scope their filters by it. */
@Controller('api/v1/me')
export class MeController {
  @Get()
  @Roles('admin', 'clinical_lead', 'nurse')
  me(@CurrentUser() user: AuthenticatedUser): MeResponse {
    const scope = careTeamScope(user);
    return { sub: user.sub, role: user.role, careTeams: scope ? [...scope] : null };
  }
}
