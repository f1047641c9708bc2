import { SseDataReader } from './sse-data';

describe('SseDataReader', () => {
  it('gives each event its data once complete, across chunk boundaries, skipping keep-alive comments', () => {
    const reader = new SseDataReader();
    expect(reader.push('id: 1\ndata: {"a":1}\n\n: keep-alive\n\nid: 2\nda')).toEqual(['{"a":1}']);
    expect(reader.push('ta: {"b":2}\n')).toEqual([]);
    expect(reader.push('\nid: 3\ndata: {"c":3}\n\n')).toEqual(['{"b":2}', '{"c":3}']);
  });
});
