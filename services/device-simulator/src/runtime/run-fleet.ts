import { signDevToken } from '@rpm/service-kit';
import { CareApiClient } from '../io/care-api-client';
import { mqttDeviceConnector, type DeviceConnector, type DeviceLink, type PublishOutcome } from '../io/mqtt-device';
import { mapLimited, registerFleet } from '../io/register-fleet';
import type { PublishEvent } from '../quirks/publish-event';
import { formatDryRunLine, planRun } from '../timeline/dry-run';
import { FleetTimeline } from '../timeline/fleet-timeline';
import { PublishQueue } from './event-queue';
import { resolveFleetOptions, type FleetOptions } from './fleet-options';
import type { FleetStats } from './fleet-stats';
import { StatsCounter } from './fleet-stats';
import { RateLimiter } from './rate-limiter';
import { SimClock } from './sim-clock';

/** Days are generated this far ahead of the clock, so each exists before its first reading is due. */
const LOOKAHEAD_MS = 36 * 3_600_000;
/** Longest nap between checks: bounds how late a due publish or a stop() is noticed. */
const MAX_IDLE_MS = 250;
/** Publishes awaiting PUBACK before the fleet pauses: bounded memory, and a slow broker slows us down. */
const MAX_INFLIGHT = 2_000;
/** Give outstanding PUBACKs this long at shutdown before closing anyway. */
const DRAIN_TIMEOUT_MS = 10_000;
/** Concurrent MQTT connects at start-up, to avoid a thundering herd on the broker. */
const CONNECT_CONCURRENCY = 20;

export type FleetLog = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

export interface FleetDeps {
  readonly wallClock?: () => number;
  readonly connect?: DeviceConnector;
  readonly fetchImpl?: typeof fetch;
  readonly log?: FleetLog;
  /** Periodic and final stats lines. */
  readonly onStats?: (stats: FleetStats) => void;
  /** Dry-run sink, one JSON line per publish (default: stdout). */
  readonly output?: (line: string) => void;
}

export interface FleetHandle {
  readonly runId: string;
  readonly seed: number;
  stats(): FleetStats;
  /** Stops publishing, waits for in-flight PUBACKs, closes every connection; returns final stats. */
  stop(): Promise<FleetStats>;
  /** Settles when the run ends on its own (--once) or is stopped. */
  readonly done: Promise<FleetStats>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Registers, connects and runs a simulated fleet (see HELP_TEXT for the options' meaning). */
export async function runFleet(partial: Partial<FleetOptions> = {}, deps: FleetDeps = {}): Promise<FleetHandle> {
  const options = resolveFleetOptions(partial);
  const wallClock = deps.wallClock ?? Date.now;
  const log: FleetLog = deps.log ?? (() => undefined);
  const startMs = wallClock();
  const { fleet, ctx } = planRun(options, startMs);
  const deviceCount = fleet.reduce((n, p) => n + p.devices.length, 0);
  log('info', 'fleet planned', { runId: options.runId, seed: options.seed, patients: fleet.length, devices: deviceCount, dryRun: options.dryRun });

  const links = new Map<string, DeviceLink>();
  if (!options.dryRun) {
    if (!options.jwtSecret) throw new Error('jwtSecret (JWT_SECRET) is required unless dryRun');
    const token = signDevToken({ sub: 'device-simulator', role: 'admin' }, options.jwtSecret);
    const api = new CareApiClient({
      baseUrl: options.apiUrl,
      token,
      readyTimeoutMs: options.apiReadyTimeoutMs,
      ...(deps.fetchImpl ? { fetchImpl: deps.fetchImpl } : {}),
    });
    const credentials = await registerFleet(fleet, api, options.mqttUrlOverride);
    log('info', 'fleet registered', { patients: fleet.length, devices: credentials.size });
    const connect = deps.connect ?? mqttDeviceConnector({ caFile: options.mqttCaFile ?? undefined });
    const reported = new Set<string>();
    const onDeviceError = (deviceId: string, err: Error): void => {
      // mqtt.js retries forever and reports each failure; one line per device is enough.
      if (reported.has(deviceId)) return;
      reported.add(deviceId);
      log('warn', 'mqtt device error', { deviceId, error: err.message });
    };
    await mapLimited([...credentials.values()], CONNECT_CONCURRENCY, async (c) => {
      try {
        links.set(c.deviceId, await connect(c, onDeviceError));
      } catch (err) {
        log('error', 'mqtt connect failed', { deviceId: c.deviceId, error: (err as Error).message });
      }
    });
    log('info', 'fleet connected', { connected: links.size, failed: credentials.size - links.size });
  }

  const counter = new StatsCounter(wallClock);
  const clock = new SimClock(ctx.windowStartMs, options.speed, wallClock);
  const timeline = new FleetTimeline(fleet, ctx);
  const queue = new PublishQueue();
  const limiter = new RateLimiter(options.ratePerSec, wallClock);
  const output = deps.output ?? ((line: string) => void process.stdout.write(line + '\n'));

  const stats = (advanceWindow = false): FleetStats =>
    counter.snapshot(
      {
        patients: fleet.length,
        devices: deviceCount,
        connected: options.dryRun ? 0 : [...links.values()].filter((l) => l.isConnected()).length,
        queued: queue.size,
        simTime: new Date(clock.now()).toISOString(),
      },
      advanceWindow,
    );

  const record = (outcome: PublishOutcome): void => {
    if (outcome === 'acked') counter.acked++;
    else if (outcome === 'refused') counter.refused++;
    else counter.errors++;
  };

  const dispatch = (event: PublishEvent): void => {
    counter.published++;
    if (options.dryRun) {
      output(formatDryRunLine(event));
      record('acked'); // in a dry run "acked" means printed
      return;
    }
    const link = links.get(event.deviceId);
    if (!link) return record('error'); // its connection failed at start-up
    void link.publish(JSON.stringify(event.message)).then(record);
  };

  let stopping = false;
  const pump = async (): Promise<void> => {
    while (!stopping) {
      for (const e of timeline.generateUntil(clock.now() + LOOKAHEAD_MS)) queue.push(e);
      let event: PublishEvent | null;
      let sinceYield = 0;
      while (!stopping && (event = queue.popDue(clock.now()))) {
        while (counter.inflight >= MAX_INFLIGHT && !stopping) await sleep(5);
        await limiter.take();
        dispatch(event);
        // Let socket I/O and timers (PUBACKs, stats) run during long backfills.
        if (++sinceYield % 200 === 0) await new Promise((r) => setImmediate(r));
      }
      if (options.once && clock.caughtUp()) return;
      const next = queue.peekTime();
      const simGap = next === null ? Infinity : next - clock.now();
      const realGap = clock.caughtUp() || options.speed <= 0 ? simGap : simGap / options.speed;
      await sleep(Math.max(1, Math.min(MAX_IDLE_MS, realGap)));
    }
  };

  const reporter = setInterval(() => deps.onStats?.(stats(true)), options.statsIntervalMs);
  let stopped: Promise<FleetStats> | null = null;
  const pumping = pump();
  const shutdown = (): Promise<FleetStats> => {
    stopped ??= (async () => {
      stopping = true;
      await pumping.catch((err: Error) => log('error', 'publisher failed', { error: err.message }));
      const drainUntil = wallClock() + DRAIN_TIMEOUT_MS;
      while (counter.inflight > 0 && wallClock() < drainUntil) await sleep(20);
      await Promise.all([...links.values()].map((l) => l.end().catch(() => undefined)));
      clearInterval(reporter);
      const final = stats(true);
      deps.onStats?.(final);
      return final;
    })();
    return stopped;
  };
  // A --once run ends by itself when the pump returns.
  const done = pumping.then(
    () => shutdown(),
    () => shutdown(),
  );
  return { runId: options.runId, seed: options.seed, stats: () => stats(false), stop: shutdown, done };
}
