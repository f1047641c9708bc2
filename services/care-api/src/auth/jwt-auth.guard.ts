import { ForbiddenException, HttpException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@rpm/contracts';
import type { AuthenticatedRequest } from './authenticated-user';
import { ROLES_KEY } from './roles.decorator';
import { PUBLIC_ROUTE } from '@rpm/service-kit';
import { TokenVerifier } from './token-verifier';
import { AuditLog, resourceTypeOf, sourceIpOf } from '../audit/audit-log.service';
import { CareTeamsService } from '../care-teams/care-teams.service';

type GuardedRequest = AuthenticatedRequest & {
  path: string;
  method: string;
  route?: { path: string };
  params?: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  ip?: string;
};

/**
 * Every route: a valid bearer token (401 otherwise) whose role the route allows (403
 * otherwise), except those marked @PublicRoute (/healthz, /readyz, /metrics).
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly audit: AuditLog,
    private readonly careTeams: CareTeamsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    // Secure by default: only routes marked @PublicRoute (health, metrics) skip authentication.
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    try {
      return await this.authorize(context, request);
    } catch (error) {
      // Refused attempts are part of the trail too (who tried what, on which patient).
      const routePath = request.route?.path ?? request.path;
      await this.audit.record({
        actor: request.user?.sub ?? 'unauthenticated',
        role: request.user?.role ?? 'none',
        action: `${request.method} ${routePath}`,
        resourceType: resourceTypeOf(routePath),
        resourceId: request.params?.['id'] ?? null,
        patientId: routePath.includes('/patients/:id') ? (request.params?.['id'] ?? null) : null,
        outcome: error instanceof HttpException ? error.getStatus() : 500,
        sourceIp: sourceIpOf(request),
      });
      throw error;
    }
  }

  private async authorize(context: ExecutionContext, request: GuardedRequest): Promise<boolean> {
    const header = request.headers['authorization'] ?? '';
    const match = /^Bearer (\S+)$/i.exec(header);
    if (!match?.[1]) throw new UnauthorizedException('missing bearer token');
    let verified;
    try {
      verified = await this.verifier.verify(match[1]);
    } catch {
      throw new UnauthorizedException('invalid or expired token');
    }
    // A nurse's teams: those her token names (her identity provider's groups) and her memberships here.
    request.user =
      verified.role === 'nurse' ? { ...verified, careTeams: [...new Set([...(verified.careTeams ?? []), ...(await this.careTeams.teamsOf(verified.sub))])] } : verified;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!allowed) throw new ForbiddenException('route has no role policy');
    if (!allowed.includes(request.user.role)) throw new ForbiddenException(`role ${request.user.role} may not do this`);
    return true;
  }
}
