/** Counters of one run. Ids and counts only: nothing here is patient data. */
export interface FleetStats {
  readonly patients: number;
  readonly devices: number;
  /** Devices with a live MQTT connection. */
  readonly connected: number;
  readonly published: number;
  readonly acked: number;
  /** PUBACKs with a reason code >= 0x80 (the broker refused the message). */
  readonly refused: number;
  readonly errors: number;
  readonly inflight: number;
  /** Publishes per second since the previous report. */
  readonly ratePerSec: number;
  /** Publishes still queued for later (late uploads, resends, tomorrow's schedule). */
  readonly queued: number;
  /** Simulated clock, ISO UTC. */
  readonly simTime: string;
}

export class StatsCounter {
  published = 0;
  acked = 0;
  refused = 0;
  errors = 0;
  private lastPublished = 0;
  private lastAtMs: number;

  constructor(private readonly wallClock: () => number = Date.now) {
    this.lastAtMs = wallClock();
  }

  get inflight(): number {
    return this.published - this.acked - this.refused - this.errors;
  }

  /** A snapshot; `advanceWindow` starts a new rate window (the periodic reporter does). */
  snapshot(base: Pick<FleetStats, 'patients' | 'devices' | 'connected' | 'queued' | 'simTime'>, advanceWindow = false): FleetStats {
    const now = this.wallClock();
    const seconds = Math.max(0.001, (now - this.lastAtMs) / 1000);
    const ratePerSec = Math.round(((this.published - this.lastPublished) / seconds) * 10) / 10;
    if (advanceWindow) {
      this.lastPublished = this.published;
      this.lastAtMs = now;
    }
    return {
      ...base,
      published: this.published,
      acked: this.acked,
      refused: this.refused,
      errors: this.errors,
      inflight: this.inflight,
      ratePerSec,
    };
  }
}
