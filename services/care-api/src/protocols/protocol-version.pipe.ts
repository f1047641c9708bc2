import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

/** The largest value of PostgreSQL's `integer`, the type of every protocol version column. */
export const MAX_PROTOCOL_VERSION = 2_147_483_647;

/**
 * A protocol version from the path: a whole number PostgreSQL can compare with its version columns.
 * Nest's ParseIntPipe lets `99999999999999999999` through as 1e20, which PostgreSQL then refuses
 * (`out of range for type integer`): a 500 instead of a 400 (found by fuzzing, issue 8 section 4).
 */
@Injectable()
export class ParseProtocolVersionPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const version = /^-?\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isInteger(version) && Math.abs(version) <= MAX_PROTOCOL_VERSION) return version;
    const reason = `an integer up to ${MAX_PROTOCOL_VERSION} is expected`;
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `version: ${reason}`, issues: [{ field: 'version', reason }] });
  }
}
