import { request, type ClientRequest } from 'node:http';
import { SseDataReader } from '../sse-data';
import { now, type Ledger } from './ledger';

interface StreamEvent {
  alertId: string;
  patientId: string;
  type: string;
  at: string;
}

/**
 * One worklist screen following GET /api/v1/alerts/stream on its own HTTP connection
 * (node:http rather than fetch: 200 of them parse thousands of events a second in the bench's
 * one thread). A chunk's arrival time is the receive time of every event in it.
 */
export class Screen {
  /** Deliveries of each scheduled alert to this screen (index = the alert's index in the ledger). */
  counts: Uint16Array = new Uint16Array(0);
  events = 0;
  /** Scheduled alerts this screen has shown at least once. */
  firstDeliveries = 0;
  private readonly reader = new SseDataReader();
  private req: ClientRequest | null = null;
  closedEarly = false;

  constructor(
    readonly name: string,
    /** Care teams the screen's nurse belongs to; null for an admin. */
    readonly teams: ReadonlySet<string> | null,
    private readonly token: string,
    private readonly ledger: Ledger,
  ) {}

  /** Resolves once the stream answered 200 and its headers are in. */
  open(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let opened = false;
      const req = request(
        { host: '127.0.0.1', port, path: '/api/v1/alerts/stream', agent: false, headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' } },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new Error(`${this.name}: the stream answered ${res.statusCode}`));
            return;
          }
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => this.onChunk(chunk, now()));
          res.on('close', () => {
            if (this.req) this.closedEarly = true;
          });
          opened = true;
          resolve();
        },
      );
      req.on('error', (error) => {
        if (!opened) reject(error);
        else if (this.req) this.closedEarly = true;
      });
      req.end();
      this.req = req;
    });
  }

  /** Makes room for the ledger's schedule (once it is known, after the screens are open). */
  track(): void {
    this.counts = new Uint16Array(this.ledger.alerts.length);
  }

  close(): void {
    const req = this.req;
    this.req = null;
    req?.destroy();
  }

  private onChunk(chunk: string, receivedAt: number): void {
    for (const data of this.reader.push(chunk)) {
      this.events++;
      const event = JSON.parse(data) as StreamEvent;
      const index = this.ledger.deliver(this.name, this.teams, event, receivedAt);
      if (index === null) continue;
      const count = (this.counts[index] ?? 0) + 1;
      this.counts[index] = count;
      if (count > 1) continue;
      this.firstDeliveries++;
      this.ledger.measure(index, receivedAt);
    }
  }
}

/** Opens screens a few at a time (each connection costs care-api a latest-id query and a replay). */
export async function openAll(screens: readonly Screen[], port: number, concurrency = 20): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < screens.length) {
      const screen = screens[next++];
      if (screen) await screen.open(port);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Per screen: what it was entitled to, what it missed and how many extra copies it got. */
export function deliveryCounts(screens: readonly Screen[], ledger: Ledger): { expected: number; delivered: number; missing: number; duplicated: number; missingByScreen: Record<string, number> } {
  let expected = 0;
  let delivered = 0;
  let missing = 0;
  let duplicated = 0;
  const missingByScreen: Record<string, number> = {};
  for (const screen of screens) {
    for (const alert of ledger.alerts) {
      if (alert.failed || (screen.teams !== null && !screen.teams.has(alert.careTeam))) continue;
      expected++;
      const n = screen.counts[alert.index] ?? 0;
      if (n === 0) {
        missing++;
        missingByScreen[screen.name] = (missingByScreen[screen.name] ?? 0) + 1;
      } else {
        delivered++;
        duplicated += n - 1;
      }
    }
  }
  return { expected, delivered, missing, duplicated, missingByScreen };
}
