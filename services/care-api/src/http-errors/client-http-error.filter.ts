import { STATUS_CODES } from 'node:http';
import { Catch, HttpException, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

/** An error of Express's body parser (http-errors): a client status, but no HttpException. */
interface ClientHttpError {
  readonly status: number;
  readonly message: string;
  readonly expose?: boolean;
}

function isClientHttpError(error: unknown): error is ClientHttpError {
  const status = (error as { status?: unknown } | null)?.status;
  return !(error instanceof HttpException) && typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Gives the body parser's refusals (413 too large, 400 malformed JSON, 415 unsupported charset) the
 * ApiError shape every other 4xx has. Nest answers them `{statusCode, message}` without `error`, and
 * logs each as an error with its stack (found by fuzzing, issue 8 section 4). Anything else goes on
 * to Nest's own handling.
 */
@Catch()
export class ClientHttpErrorFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (!isClientHttpError(exception)) {
      super.catch(exception, host);
      return;
    }
    const { status } = exception;
    const error = STATUS_CODES[status] ?? 'Client Error';
    super.catch(new HttpException({ statusCode: status, error, message: exception.expose === false ? error : exception.message }, status), host);
  }
}
