import { Severity } from '@rpm/contracts';
import { z } from 'zod';
import { parseTrendState, EMPTY_TREND_STATE, type TrendState } from '../trends';

/**
 * Everything the engine remembers about one patient, as compact plain JSON: it is written to
 * the state changelog after every batch and read back after a restart or rebalance (ADR 0006).
 * Times are whole seconds since the epoch (`...Sec`); short keys keep it under 2 KiB.
 */

/** A breach of a confirm rule waiting for its second reading: [measuredSec, observationId, evidence]. */
export type PendingReading = readonly [atSec: number, observationId: string, evidence: ReadonlyArray<readonly [code: string, value: number, unit: string]>];

/** An open episode of (patient, rule): first and latest breach, breaches counted, worst severity sent. */
export interface Episode {
  readonly at: number;
  readonly last: number;
  readonly n: number;
  readonly sev: Severity;
  /** NEWS2 only: the aggregate last sent, so an unchanged score is not re-sent. */
  readonly score?: number;
  /** Readings in a row back inside the clear limit since the latest breach. */
  readonly ok?: number;
}

/** Latest value of a NEWS2 parameter: [value, measuredSec, sourceId]. */
export type News2Entry = readonly [value: number | boolean | string, atSec: number, sourceId: string];

/**
 * A recently processed reading: [content hash, measuredSec] (DQ-03). The content is device,
 * code and values, so a resend of the same message (same time) and a re-measurement sent
 * again under a new id (within ±60 s) both match; Kafka redeliveries are caught by `pos`.
 */
export type SeenReading = readonly [contentHash: number, atSec: number];

export interface MonitorState {
  readonly v: 1;
  readonly trend: TrendState;
  /** Newest measuredAt seen (AD-01 counts silence from it). */
  readonly lastSec?: number;
  /** That newest reading's first component, the evidence of an AD-01 alert: [observationId, code, value, unit]. */
  readonly lastEv?: readonly [observationId: string, code: string, value: number, unit: string];
  /** Position [partition, offset] of the last reading applied: a redelivered batch is skipped whole. */
  readonly pos?: readonly [partition: number, offset: number];
  readonly seen: readonly SeenReading[];
  readonly pending: Readonly<Record<string, readonly PendingReading[]>>;
  readonly open: Readonly<Record<string, Episode>>;
  readonly news2: Readonly<Record<string, News2Entry>>;
}

export const EMPTY_MONITOR_STATE: MonitorState = Object.freeze({
  v: 1,
  trend: EMPTY_TREND_STATE,
  seen: Object.freeze([]),
  pending: Object.freeze({}),
  open: Object.freeze({}),
  news2: Object.freeze({}),
});

const sec = z.number().int();
const MonitorStateSchema = z.strictObject({
  v: z.literal(1),
  trend: z.unknown().transform((t, ctx) => {
    try {
      return parseTrendState(t);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `trend: ${(error as Error).message}` });
      return z.NEVER;
    }
  }),
  lastSec: sec.optional(),
  lastEv: z.tuple([z.string(), z.string(), z.number(), z.string()]).optional(),
  pos: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]).optional(),
  seen: z.array(z.tuple([z.number().int(), sec])),
  pending: z.record(z.string(), z.array(z.tuple([sec, z.string(), z.array(z.tuple([z.string(), z.number(), z.string()]))]))),
  open: z.record(
    z.string(),
    z.strictObject({ at: sec, last: sec, n: z.number().int().positive(), sev: Severity, score: z.number().int().optional(), ok: z.number().int().positive().optional() }),
  ),
  news2: z.record(z.string(), z.tuple([z.union([z.number(), z.boolean(), z.string()]), sec, z.string()])),
});

/** Reads a persisted state (JSON text or parsed); throws on a malformed one. */
export function parseMonitorState(input: unknown): MonitorState {
  const value = typeof input === 'string' ? (JSON.parse(input) as unknown) : input;
  return MonitorStateSchema.parse(value) as MonitorState;
}

export function serializeMonitorState(state: MonitorState): string {
  return JSON.stringify(state);
}
