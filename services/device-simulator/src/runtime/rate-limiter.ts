/**
 * Token bucket capping publishes per second across the fleet (--rate), for load tests that
 * must not exceed a target. A one-second burst is allowed so short stalls catch up smoothly.
 */
export class RateLimiter {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly perSecond: number | null,
    private readonly wallClock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.tokens = perSecond === null ? 0 : Math.max(1, perSecond);
    this.lastMs = wallClock();
  }

  /** Resolves when one more publish is allowed. */
  async take(): Promise<void> {
    if (this.perSecond === null) return;
    for (;;) {
      const now = this.wallClock();
      this.tokens = Math.min(Math.max(1, this.perSecond), this.tokens + ((now - this.lastMs) / 1000) * this.perSecond);
      this.lastMs = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.max(1, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000)));
    }
  }
}
