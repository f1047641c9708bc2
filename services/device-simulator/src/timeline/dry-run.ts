import { deviceReadingsTopic } from '@rpm/contracts';
import { buildFleet } from '../fleet/fleet-builder';
import type { SimPatient } from '../fleet/fleet-model';
import type { PublishEvent } from '../quirks/publish-event';
import type { FleetOptions } from '../runtime/fleet-options';
import { collectTimeline, type TimelineContext } from './fleet-timeline';

const DAY_MS = 86_400_000;

/** One JSON line per publish: when, where, why, and the exact payload. */
export function formatDryRunLine(event: PublishEvent): string {
  return JSON.stringify({
    publishAt: new Date(event.publishAtMs).toISOString(),
    deviceId: event.deviceId,
    topic: deviceReadingsTopic(event.deviceId),
    reason: event.reason,
    message: event.message,
  });
}

/** The fleet and timeline context a run with these options simulates, given its "now". */
export function planRun(options: FleetOptions, nowMs: number): { fleet: SimPatient[]; ctx: TimelineContext } {
  const windowStartMs = nowMs - options.days * DAY_MS;
  const fleet = buildFleet({
    patients: options.patients,
    seed: options.seed,
    runId: options.runId,
    windowStartMs,
    spanDays: options.days,
    deteriorationShare: options.deteriorationShare,
    mixedUnits: options.mixedUnits,
  });
  return { fleet, ctx: { seed: options.seed, rates: options.quirks, windowStartMs } };
}

/** `--dry-run --once`: every message the backfill would publish up to nowMs. Pure given (options, nowMs). */
export function dryRunLines(options: FleetOptions, nowMs: number): string[] {
  const { fleet, ctx } = planRun(options, nowMs);
  return collectTimeline(fleet, ctx, nowMs).map(formatDryRunLine);
}
