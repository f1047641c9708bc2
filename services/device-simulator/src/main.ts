import { JsonLogger, loadConfig, serviceEnvironment } from '@rpm/service-kit';
import { HELP_TEXT, parseCliFlags, SimulatorEnv } from './config/simulator.config';
import { ApiUnreachableError } from './io/care-api-client';
import { fleetOptionsFromEnv } from './runtime/fleet-options';
import type { FleetStats } from './runtime/fleet-stats';
import { runFleet } from './runtime/run-fleet';
import { dryRunLines } from './timeline/dry-run';

/** CLI entry: parse once, run, stop cleanly on Ctrl-C / SIGTERM. Logs carry ids and counts only. */
async function main(): Promise<number> {
  const cli = parseCliFlags(process.argv.slice(2));
  if (cli.help) {
    process.stdout.write(HELP_TEXT);
    return 0;
  }
  const env = loadConfig(SimulatorEnv, { ...serviceEnvironment(), ...cli.env });
  const options = fleetOptionsFromEnv(env);
  const logger = new JsonLogger('device-simulator');

  if (options.dryRun && options.once) {
    // Pure and instant: nothing to wait for without a broker, and --now makes it reproducible.
    const nowMs = env.SIM_NOW ? Date.parse(env.SIM_NOW) : Date.now();
    for (const line of dryRunLines(options, nowMs)) process.stdout.write(line + '\n');
    return 0;
  }

  // In a dry run stdout carries the messages, so stats move to stderr.
  const onStats = (stats: FleetStats): void => {
    if (options.dryRun) process.stderr.write(JSON.stringify({ msg: 'stats', ...stats }) + '\n');
    else logger.info('stats', { ...stats });
  };
  const handle = await runFleet(options, {
    log: (level, msg, fields) => (options.dryRun ? process.stderr.write(JSON.stringify({ level, msg, ...fields }) + '\n') : logger[level](msg, fields)),
    onStats,
  });

  let signals = 0;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // A second Ctrl-C means "now": skip waiting for PUBACKs.
      if (++signals > 1) process.exit(130);
      void handle.stop();
    });
  }
  const final = await handle.done;
  return final.errors > 0 && final.acked === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(JSON.stringify({ level: 'error', service: 'device-simulator', msg: message }) + '\n');
    // 3 tells scripts "start care-api first" apart from other failures (1).
    process.exit(err instanceof ApiUnreachableError ? 3 : 1);
  },
);
