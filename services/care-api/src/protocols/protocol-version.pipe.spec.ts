import { BadRequestException } from '@nestjs/common';
import { MAX_PROTOCOL_VERSION, ParseProtocolVersionPipe } from './protocol-version.pipe';

describe('ParseProtocolVersionPipe', () => {
  const pipe = new ParseProtocolVersionPipe();

  it.each([
    ['1', 1],
    ['42', 42],
    ['0', 0],
    ['-3', -3],
    [String(MAX_PROTOCOL_VERSION), MAX_PROTOCOL_VERSION],
  ])('takes %s as %d', (raw, version) => {
    expect(pipe.transform(raw)).toBe(version);
  });

  // 99999999999999999999 reached PostgreSQL as 1e20 and came back as a 500 (fuzzing, issue 8 section 4).
  it.each(['99999999999999999999', String(MAX_PROTOCOL_VERSION + 1), '1e3', '1.5', ' 1', '', 'one', '0x10'])('refuses %j with a 400 naming the field', (raw) => {
    let error: unknown;
    try {
      pipe.transform(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadRequestException);
    expect((error as BadRequestException).getResponse()).toMatchObject({ statusCode: 400, error: 'Bad Request', issues: [{ field: 'version' }] });
  });
});
