import { HttpException, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { catchError, from, mergeMap, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/authenticated-user';
import { patientsOfFhirExchange } from '../fhir/fhir-audit';
import { AuditLog, resourceTypeOf, sourceIpOf } from './audit-log.service';

interface AuditedRequest extends AuthenticatedRequest {
  method: string;
  path: string;
  route?: { path: string };
  params: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  ip?: string;
}

/** The patients a request touched: the route's patient, the body's, or every item's. */
function patientsIn(routePath: string, request: AuditedRequest, body: unknown): string[] {
  if (routePath.includes('/patients/:id')) return request.params['id'] ? [request.params['id']] : [];
  const found = new Set<string>();
  const take = (value: unknown) => {
    if (value && typeof value === 'object' && 'patientId' in value && typeof value.patientId === 'string') found.add(value.patientId);
  };
  take(body);
  if (body && typeof body === 'object' && 'items' in body && Array.isArray(body.items)) body.items.forEach(take);
  if (routePath.endsWith('/patients') && body && typeof body === 'object' && 'id' in body && typeof body.id === 'string') found.add(body.id);
  if (found.size === 0 && request.query['patientId']) found.add(request.query['patientId']);
  return [...found];
}

/** The status Nest will send: @HttpCode if set, else 201 for POST and 200 otherwise. */
function successStatus(context: ExecutionContext, method: string): number {
  const explicit: unknown = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler());
  return typeof explicit === 'number' ? explicit : method === 'POST' ? 201 : 200;
}

/**
 * Every authenticated request (/api and /fhir), allowed or refused, leaves an audit row before the
 * response goes out: who, what, which patient, outcome. No patient data in the row.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditLog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    if (!request.user) return next.handle();
    const record = async (outcome: number, body: unknown) => {
      const routePath = request.route?.path ?? request.path;
      const base = {
        actor: request.user?.sub ?? 'unknown',
        role: request.user?.role ?? 'unknown',
        action: `${request.method} ${routePath}`,
        resourceType: resourceTypeOf(routePath),
        resourceId: request.params['id'] ?? null,
        outcome,
        sourceIp: sourceIpOf(request),
      };
      // One row per patient whose data the response carried (a worklist page spans many).
      // A FHIR answer names its patients in references (subject, patient, for), not in patientId fields.
      const patients = routePath.startsWith('/fhir/') ? patientsOfFhirExchange(routePath, request.params, request.query, body) : patientsIn(routePath, request, body);
      await this.audit.recordAll(patients.length === 0 ? [{ ...base, patientId: null }] : patients.map((patientId) => ({ ...base, patientId })));
    };
    return next.handle().pipe(
      mergeMap((body: unknown) => from(record(successStatus(context, request.method), body).then(() => body))),
      catchError((error: unknown) =>
        from(record(error instanceof HttpException ? error.getStatus() : 500, null).then(() => Promise.reject(error))),
      ),
    );
  }
}
