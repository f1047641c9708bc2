import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@rpm/contracts';

export interface AuthenticatedUser {
  readonly sub: string;
  readonly role: Role;
  /** Care teams whose patients a nurse may see; undefined for admins and clinical leads. */
  readonly careTeams: readonly string[] | undefined;
}

export interface AuthenticatedRequest {
  user?: AuthenticatedUser;
}

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthenticatedUser => {
  const user = ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new Error('CurrentUser used on a route without authentication');
  return user;
});

/** Care-team scope of a user: null means every patient. */
export function careTeamScope(user: AuthenticatedUser): readonly string[] | null {
  return user.role === 'nurse' ? (user.careTeams ?? []) : null;
}
