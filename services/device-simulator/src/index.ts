/** Programmatic API, for benchmarks and tests that drive a fleet. */
export { runFleet, type FleetDeps, type FleetHandle, type FleetLog } from './runtime/run-fleet';
export { resolveFleetOptions, type FleetOptions } from './runtime/fleet-options';
export type { FleetStats } from './runtime/fleet-stats';
export { dryRunLines, planRun } from './timeline/dry-run';
export { DEFAULT_QUIRK_RATES, type QuirkRates } from './fleet/fleet-model';
