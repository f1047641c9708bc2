import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import { JsonLogger } from '@rpm/service-kit';
import { FHIR_JSON_UTF8, type FhirResource } from './fhir-types';

interface FhirReply {
  status(code: number): FhirReply;
  setHeader(name: string, value: string): void;
  send(body: string): void;
}

/** FHIR's issue type for each status this API answers. */
const ISSUE_CODE: Readonly<Record<number, string>> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  502: 'transient',
  503: 'transient',
};

export function operationOutcome(status: number, diagnostics: string): FhirResource {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: status >= 500 ? 'fatal' : 'error', code: ISSUE_CODE[status] ?? (status >= 500 ? 'exception' : 'processing'), diagnostics }],
  };
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
}

/**
 * Every error of a FHIR route, the guard's 401 and 403 included, as an OperationOutcome in
 * application/fhir+json with the same status the API would give.
 */
@Catch()
export class OperationOutcomeFilter implements ExceptionFilter {
  private readonly log = new JsonLogger('care-api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FhirReply>();
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    // An unexpected failure keeps its detail in the log (no patient data there), not in the answer.
    if (!(exception instanceof HttpException)) this.log.error('fhir request failed', { error: String(exception) });
    const diagnostics = exception instanceof HttpException ? messageOf(exception) : 'internal error';
    reply.status(status);
    reply.setHeader('Content-Type', FHIR_JSON_UTF8);
    reply.send(JSON.stringify(operationOutcome(status, diagnostics)));
  }
}
