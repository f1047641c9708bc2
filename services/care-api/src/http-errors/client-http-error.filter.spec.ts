import { HttpException, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { ClientHttpErrorFilter } from './client-http-error.filter';

/** What the filter replies through Nest's HTTP adapter. */
function filterWithFakeAdapter() {
  const replies: { body: unknown; status: number }[] = [];
  const adapter = {
    reply: (_res: unknown, body: unknown, status: number) => void replies.push({ body, status }),
    isHeadersSent: () => false,
    end: () => undefined,
  } as unknown as AbstractHttpAdapter;
  const host = { getArgByIndex: () => ({}), getArgs: () => [{}, {}], getType: () => 'http' } as unknown as ArgumentsHost;
  return { filter: new ClientHttpErrorFilter(adapter), host, replies };
}

/** body-parser's errors are http-errors: a status and a message, not an HttpException. */
const bodyParserError = (status: number, message: string, expose = true) => Object.assign(new Error(message), { status, statusCode: status, expose, type: 'entity.too.large' });

describe('ClientHttpErrorFilter', () => {
  // Found by fuzzing (issue 8, section 4): a 200 kB body answered {"statusCode":413,"message":"request entity too large"}, no `error`.
  it('answers a body parser refusal (413) in the ApiError shape', () => {
    const { filter, host, replies } = filterWithFakeAdapter();
    filter.catch(bodyParserError(413, 'request entity too large'), host);
    expect(replies).toEqual([{ status: 413, body: { statusCode: 413, error: 'Payload Too Large', message: 'request entity too large' } }]);
  });

  it('keeps an unexposed message to itself', () => {
    const { filter, host, replies } = filterWithFakeAdapter();
    filter.catch(bodyParserError(415, 'unsupported charset "X-SECRET"', false), host);
    expect(replies).toEqual([{ status: 415, body: { statusCode: 415, error: 'Unsupported Media Type', message: 'Unsupported Media Type' } }]);
  });

  it('leaves HttpExceptions and unexpected errors to Nest', () => {
    const { filter, host, replies } = filterWithFakeAdapter();
    filter.catch(new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'no such patient' }), host);
    filter.catch(new HttpException('teapot', 418), host);
    expect(replies.map((r) => [r.status, r.body])).toEqual([
      [404, { statusCode: 404, error: 'Not Found', message: 'no such patient' }],
      [418, { statusCode: 418, message: 'teapot' }],
    ]);
  });
});
