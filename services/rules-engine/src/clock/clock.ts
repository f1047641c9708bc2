/** The engine's notion of now: AD-01 timers and evaluation stamps read it, never Date directly. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** Tests only (RULES_ENGINE_MANUAL_CLOCK): starts at the real time and moves only when told. */
export class ManualClock extends Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): Date {
    this.offsetMs += ms;
    return this.now();
  }
}
