/** One server-sent event as dispatched (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export interface ServerSentEvent {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
}

/**
 * Incremental parser for a text/event-stream body: feed it decoded chunks in order, get the
 * complete events back. Chunks may split lines anywhere (even between \r and \n).
 * `lastEventId` keeps the spec's meaning: the last id field seen, carried across events.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private eventType = '';
  private sawData = false;
  private idInEvent: string | undefined;
  lastEventId: string | undefined;

  push(chunk: string): ServerSentEvent[] {
    this.buffer += chunk;
    const events: ServerSentEvent[] = [];
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      if (end < 0) break;
      // A lone \r at the very end may be the first half of \r\n: wait for the next chunk.
      if (this.buffer[end] === '\r' && end === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + (this.buffer.startsWith('\r\n', end) ? 2 : 1));
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): ServerSentEvent | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null; // a comment: the server's keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        this.sawData = true;
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.lastEventId = value;
          this.idInEvent = value;
        }
        break;
      default:
        break; // retry and unknown fields: the client keeps its own reconnect policy
    }
    return null;
  }

  private dispatch(): ServerSentEvent | null {
    const event = this.sawData ? { id: this.idInEvent ?? this.lastEventId, event: this.eventType || 'message', data: this.data.join('\n') } : null;
    this.data = [];
    this.eventType = '';
    this.sawData = false;
    this.idInEvent = undefined;
    return event;
  }
}
