import { classifyResponse, parseRetryAfter, retryDelayMs } from './push-policy';

const NOW = Date.parse('2026-11-27T13:00:00.000Z');

describe('EHR push: which answers are tried again, and when', () => {
  it('pushed on 2xx; tries again on 5xx, 408 and 429; dead-letters any other 4xx at once', () => {
    expect(classifyResponse(200, null, '', NOW)).toEqual({ kind: 'pushed', status: 200 });
    expect(classifyResponse(503, '3', '', NOW)).toMatchObject({ kind: 'retry', cause: 'http_5xx', retryAfterMs: 3000 });
    expect(classifyResponse(500, null, '', NOW)).toMatchObject({ kind: 'retry', cause: 'http_5xx', retryAfterMs: null });
    expect(classifyResponse(429, null, '', NOW)).toMatchObject({ kind: 'retry', cause: 'http_429' });
    expect(classifyResponse(408, null, '', NOW)).toMatchObject({ kind: 'retry', cause: 'http_408' });
    for (const status of [400, 401, 403, 404, 409, 412, 422]) expect(classifyResponse(status, null, '', NOW).kind).toBe('reject');
  });

  it("names the OperationOutcome's first issue in the detail", () => {
    const body = JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'Flag.status: required' }] });
    expect(classifyResponse(400, null, body, NOW)).toEqual({ kind: 'reject', status: 400, detail: 'HTTP 400: Flag.status: required' });
    expect(classifyResponse(502, null, '<html>bad gateway</html>', NOW)).toMatchObject({ detail: 'HTTP 502' });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 13:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 12:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });

  it('backs off exponentially with jitter, capped, and never sooner than Retry-After (itself capped)', () => {
    const settings = { baseMs: 500, maxMs: 8_000, retryAfterMaxMs: 20_000 };
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(a, null, settings, () => 0))).toEqual([250, 500, 1000, 2000, 4000, 4000]);
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(a, null, settings, () => 1))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(retryDelayMs(1, 10_000, settings, () => 0.5)).toBe(10_000);
    expect(retryDelayMs(1, 600_000, settings, () => 0.5)).toBe(20_000);
  });
});
