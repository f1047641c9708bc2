/**
 * Splits a text/event-stream into the `data:` payloads of its events, across chunk boundaries.
 * Keep-alive comments (blocks without data) are dropped.
 */
export class SseDataReader {
  private buffer = '';

  /** The data payloads completed by this chunk, in order. */
  push(chunk: string): string[] {
    this.buffer += chunk;
    const payloads: string[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const data = block.split('\n').find((line) => line.startsWith('data: '));
      if (data) payloads.push(data.slice(6));
    }
    return payloads;
  }
}
