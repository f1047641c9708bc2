import { Client } from 'pg';
import type { JsonLogger } from '@rpm/service-kit';

/** How long to wait before listening again after the connection dropped (polling goes on meanwhile). */
const RECONNECT_MS = 2_000;

/**
 * LISTEN on its own connection: calls `onNotify` when a transaction that ran `NOTIFY channel`
 * commits (PostgreSQL delivers notifications at commit, once per transaction). A lost connection
 * is re-opened; the caller keeps a slower poll as the fallback, so a missed notification only delays.
 */
export class CommitWakeup {
  private client: Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onNotify: () => void,
    private readonly log: Pick<JsonLogger, 'warn'>,
  ) {}

  async start(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.url, application_name: 'care-api listen' });
    client.on('notification', () => this.onNotify());
    client.on('error', (error) => this.reconnect(client, error));
    client.on('end', () => this.reconnect(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.client = client;
    } catch (error) {
      this.reconnect(client, error);
    }
  }

  private reconnect(client: Client, error: unknown): void {
    if (this.stopped || this.retry || (this.client !== null && this.client !== client)) return;
    this.log.warn('listen connection lost; polling only until it is back', { channel: this.channel, error: error instanceof Error ? error.message : String(error) });
    this.client = null;
    client.end().catch(() => undefined);
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.start();
    }, RECONNECT_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }
}
