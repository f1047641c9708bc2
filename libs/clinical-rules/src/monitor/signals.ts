import type { AlertClearedV1, AlertExplanation, AlertSignalV1, ObservationV1 } from '@rpm/contracts';
import { deterministicUuid } from '../alert-key';
import type { RuleFiring } from '../evaluate-threshold';
import { evidenceOf } from '../evidence';
import type { News2Score } from '../news2';
import { explainRule, type EffectiveProtocol } from '../protocols/resolve-protocol';
import type { MonitorState } from './monitor-state';

/** What the monitor's parts share: times in seconds, a firing with its explanation, an ended episode. */

export interface MonitorResult {
  readonly state: MonitorState;
  /** rpm.alerts.v1 records, in the order they happened. */
  readonly signals: AlertSignalV1[];
  /** The reading was dropped as a redelivery or a resend (DQ-03): the state changed at most in `pos`. */
  readonly duplicate: boolean;
}

export const toSec = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
export const isoOf = (sec: number): string => new Date(sec * 1000).toISOString();

/** A verdict on the way to an alert: the rule's firing, what it is about, and its explanation parts. */
export interface Firing {
  readonly firing: RuleFiring;
  /** The reading the verdict is about, when not the one that arrived (a later day judged again). */
  readonly on?: ObservationV1;
  readonly window: AlertExplanation['window'];
  readonly news2?: { score: News2Score };
}

/** The explanation an alert carries: rule and thresholds from the protocol, window, NEWS2 parts. */
export function explanation(protocol: EffectiveProtocol, f: Firing): AlertExplanation | undefined {
  const explained = explainRule(protocol, f.firing.ruleId);
  if (!explained) return undefined;
  return {
    ...explained,
    ...(f.window ? { window: f.window } : {}),
    ...(f.news2 ? { news2: { aggregate: f.news2.score.aggregate, scale: f.news2.score.scale, subScores: { ...f.news2.score.subScores } } } : {}),
  };
}

/** An ended episode, keyed by (patient, rule, reading): a replay gives the same key. */
export function cleared(
  patientId: string,
  ruleId: string,
  reason: AlertClearedV1['reason'],
  summary: string,
  observation: ObservationV1,
  evaluatedAt: Date,
): AlertClearedV1 {
  return {
    schema: 'rpm.alert-cleared.v1',
    clearKey: deterministicUuid('rpm.alert-clear.v1', patientId, ruleId, observation.observationId),
    patientId,
    ruleId,
    reason,
    summary,
    measuredAt: observation.measuredAt,
    evaluatedAt: evaluatedAt.toISOString(),
    observations: evidenceOf(observation),
  };
}

