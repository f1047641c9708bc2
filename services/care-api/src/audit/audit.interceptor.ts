import { HttpException, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { catchError, from, mergeMap, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/authenticated-user';
import { AuditLog, resourceTypeOf } from './audit-log.service';

interface AuditedRequest extends AuthenticatedRequest {
  method: string;
  path: string;
  route?: { path: string };
  params: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
}

/** The status Nest will send: @HttpCode if set, else 201 for POST and 200 otherwise. */
function successStatus(context: ExecutionContext, method: string): number {
  const explicit: unknown = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler());
  return typeof explicit === 'number' ? explicit : method === 'POST' ? 201 : 200;
}

/**
 * Every authenticated /api request, allowed or refused, leaves an audit row before the
 * response goes out: who, what, which patient, outcome. No patient data in the row.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditLog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    if (!request.user) return next.handle();
    const record = (outcome: number, body: unknown) => {
      const routePath = request.route?.path ?? request.path;
      const patientFromBody =
        body && typeof body === 'object' && 'patientId' in body && typeof body.patientId === 'string' ? body.patientId : null;
      const patientId = routePath.includes('/patients/:id')
        ? (request.params['id'] ?? null)
        : (patientFromBody ?? (routePath.endsWith('/patients') && body && typeof body === 'object' && 'id' in body ? String(body.id) : null) ?? request.query['patientId'] ?? null);
      return this.audit.record({
        actor: request.user?.sub ?? 'unknown',
        role: request.user?.role ?? 'unknown',
        action: `${request.method} ${routePath}`,
        resourceType: resourceTypeOf(routePath),
        resourceId: request.params['id'] ?? null,
        patientId,
        outcome,
      });
    };
    return next.handle().pipe(
      mergeMap((body: unknown) => from(record(successStatus(context, request.method), body).then(() => body))),
      catchError((error: unknown) =>
        from(record(error instanceof HttpException ? error.getStatus() : 500, null).then(() => Promise.reject(error))),
      ),
    );
  }
}
