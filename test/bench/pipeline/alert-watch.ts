import { request, type ClientRequest } from 'node:http';
import { SseDataReader } from '../sse-data';

/**
 * A worklist screen (an admin's, so every care team) following GET /api/v1/alerts/stream: the
 * time each new alert of the fleet's patients reached it. That arrival, minus the due time of the
 * reading that raised the alert, is the bench's publish-to-worklist latency.
 */
export class AlertWatch {
  /** alertId -> wall-clock ms of its first 'raised' event on this screen. */
  readonly raisedAt = new Map<string, number>();
  events = 0;
  private readonly reader = new SseDataReader();
  private req: ClientRequest | null = null;

  constructor(
    private readonly port: number,
    private readonly token: string,
    private readonly patients: ReadonlySet<string>,
  ) {}

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: this.port, path: '/api/v1/alerts/stream', agent: false, headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' } },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new Error(`the alert stream answered ${res.statusCode}`));
            return;
          }
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => this.onChunk(chunk, Date.now()));
          resolve();
        },
      );
      req.on('error', reject);
      req.end();
      this.req = req;
    });
  }

  close(): void {
    this.req?.destroy();
    this.req = null;
  }

  private onChunk(chunk: string, receivedAt: number): void {
    for (const data of this.reader.push(chunk)) {
      this.events++;
      const event = JSON.parse(data) as { alertId: string; patientId: string; type: string };
      if (event.type === 'raised' && this.patients.has(event.patientId) && !this.raisedAt.has(event.alertId)) this.raisedAt.set(event.alertId, receivedAt);
    }
  }
}
