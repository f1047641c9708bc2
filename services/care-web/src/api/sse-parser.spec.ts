import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('parses numbered alert events and skips keep-alive comments', () => {
    const parser = new SseParser();
    const events = parser.push('id: 7\nevent: alert\ndata: {"alertId":"a"}\n\n: keep-alive\n\nid: 8\nevent: alert\ndata: {"alertId":"b"}\n\n');
    expect(events).toEqual([
      { id: '7', event: 'alert', data: '{"alertId":"a"}' },
      { id: '8', event: 'alert', data: '{"alertId":"b"}' },
    ]);
    expect(parser.lastEventId).toBe('8');
  });

  it('joins chunks split anywhere, including between \\r and \\n', () => {
    const parser = new SseParser();
    const text = 'id: 12\r\nevent: alert\r\ndata: line one\r\ndata: line two\r\n\r\n';
    const events = [...text].flatMap((ch) => parser.push(ch));
    expect(events).toEqual([{ id: '12', event: 'alert', data: 'line one\nline two' }]);
  });

  it('dispatches nothing for an event without data, and keeps the last id for the next one', () => {
    const parser = new SseParser();
    expect(parser.push('id: 3\n\n')).toEqual([]);
    expect(parser.push('data: x\n\n')).toEqual([{ id: '3', event: 'message', data: 'x' }]);
  });

  it('waits for the blank line before dispatching', () => {
    const parser = new SseParser();
    expect(parser.push('id: 1\ndata: partial')).toEqual([]);
    expect(parser.push('\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ id: '1', event: 'message', data: 'partial' }]);
  });
});
