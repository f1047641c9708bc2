/**
 * Simulated time: starts `days` in the past, runs `speed` simulated seconds per real second
 * until it catches up with the wall clock, then follows it. It never runs ahead of the wall
 * clock, which is what keeps every measuredAt out of the future.
 */
export class SimClock {
  private readonly realStartMs: number;

  constructor(
    readonly simStartMs: number,
    /** Simulated seconds per real second; 0 = jump straight to the present (as fast as publishing allows). */
    private readonly speed: number,
    private readonly wallClock: () => number = Date.now,
  ) {
    this.realStartMs = wallClock();
  }

  now(): number {
    const real = this.wallClock();
    if (this.speed <= 0) return real;
    return Math.min(real, this.simStartMs + (real - this.realStartMs) * this.speed);
  }

  /** True once the backfill has reached the present and the clock runs in real time. */
  caughtUp(): boolean {
    return this.now() >= this.wallClock();
  }
}
