import { DEFAULT_DISPOSITIONS, type BacktestComparison, type ObservationV1, type ReplayedAlert, type Severity } from '@rpm/contracts';
import { observe } from '../monitor/monitor';
import { checkSilence } from '../monitor/silence';
import { EMPTY_MONITOR_STATE, type MonitorState } from '../monitor/monitor-state';
import type { EffectiveProtocol } from '../protocols/resolve-protocol';

/**
 * Backtest (issue 5): replay stored observations through the same `observe` and `checkSilence` the
 * rules engine runs, once with the current protocol and once with a draft, and compare the alerts.
 * Pure: the caller loads the history and the nurses' dispositions, and runs it where it likes.
 */

/** One alert of a replay: the opening of an episode, as the worklist would have received it. */
export type { ReplayedAlert };

export interface ReplayOptions {
  /** Alerts raised before this instant are not counted (the state still learns from the readings). */
  readonly from?: Date;
  /** The end of the period: silences still running then are checked at this instant. */
  readonly to: Date;
}

/**
 * One patient's history through the monitor, with AD-01 checked before each reading and at the end
 * of the period. Returns the episodes opened. `history` must be in the order the rules engine
 * evaluated it (as Kafka delivered it; the vitals-store's history is): an alert's key names the
 * reading that fired it, and receivedAt cannot restore that order (equal within one socket read,
 * and a message the gateway held back reaches Kafka after younger ones).
 */
export function replayPatient(patientId: string, history: readonly ObservationV1[], protocol: EffectiveProtocol, options: ReplayOptions): ReplayedAlert[] {
  const from = options.from?.getTime() ?? -Infinity;
  const alerts: ReplayedAlert[] = [];
  let state: MonitorState = EMPTY_MONITOR_STATE;
  const collect = (signals: ReturnType<typeof observe>['signals']): void => {
    for (const s of signals) {
      if (s.schema !== 'rpm.alert-raised.v1' || s.episode?.breaches !== 1) continue;
      if (Date.parse(s.evaluatedAt) < from) continue;
      alerts.push({
        alertKey: s.alertKey,
        patientId,
        ruleId: s.ruleId,
        severity: s.severity,
        kind: s.kind,
        measuredAt: s.measuredAt,
        summary: s.summary,
        observations: s.observations,
      });
    }
  };
  for (const observation of history) {
    const arrived = new Date(observation.receivedAt);
    const silence = checkSilence(state, patientId, protocol, arrived);
    state = silence.state;
    collect(silence.signals);
    const result = observe(state, observation, protocol, { evaluatedAt: arrived });
    state = result.state;
    collect(result.signals);
  }
  collect(checkSilence(state, patientId, protocol, options.to).signals);
  return alerts;
}

/** Dispositions that mean the nurse acted on a real event (issue 5: a change must not hide these); the default list's. */
export const CLINICAL_DISPOSITIONS: ReadonlySet<string> = new Set(DEFAULT_DISPOSITIONS.filter((d) => d.category === 'clinical').map((d) => d.code));

export interface BacktestPatient {
  readonly patientId: string;
  readonly history: readonly ObservationV1[];
  readonly current: EffectiveProtocol;
  readonly draft: EffectiveProtocol;
}

export interface BacktestInput {
  readonly patients: readonly BacktestPatient[];
  readonly from: Date;
  readonly to: Date;
  /** What nurses did with the real alerts, by worklist alert id (= the opening alert key). */
  readonly dispositions?: ReadonlyMap<string, string>;
  /** Called after each patient; return false from `shouldContinue` to stop early (cancellation). */
  readonly onProgress?: (done: number, total: number) => void;
  readonly shouldContinue?: () => boolean;
}

export interface RuleCount {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly current: number;
  readonly draft: number;
}

/** The comparison, in the contract's shape (the API returns it as is). */
export type BacktestResult = BacktestComparison;

/**
 * Replays every patient under the current protocol and under the draft over [from, to] and
 * compares: alerts per rule and severity, per patient-day, patients newly alerted and no longer
 * alerted, and the alerts that would disappear (flagged where the real disposition was clinical)
 * or appear. Alerts are matched by key (patient, rule, triggering reading): a change that only
 * moves an episode's opening to a later reading shows as one alert gone and one new.
 */
export function backtest(input: BacktestInput): BacktestResult {
  const { from, to } = input;
  const current: ReplayedAlert[] = [];
  const draft: ReplayedAlert[] = [];
  let done = 0;
  let complete = true;
  for (const patient of input.patients) {
    if (input.shouldContinue && !input.shouldContinue()) {
      complete = false;
      break;
    }
    current.push(...replayPatient(patient.patientId, patient.history, patient.current, { from, to }));
    draft.push(...replayPatient(patient.patientId, patient.history, patient.draft, { from, to }));
    done += 1;
    input.onProgress?.(done, input.patients.length);
  }
  return compareReplays({ current, draft, patients: done, from, to, complete, ...(input.dispositions ? { dispositions: input.dispositions } : {}) });
}

/**
 * The comparison of two replays of the same patients (what `backtest` returns), for callers that
 * replay patient by patient themselves (a background job yielding between patients).
 */
export function compareReplays(input: {
  readonly current: readonly ReplayedAlert[];
  readonly draft: readonly ReplayedAlert[];
  readonly patients: number;
  readonly from: Date;
  readonly to: Date;
  readonly complete: boolean;
  readonly dispositions?: ReadonlyMap<string, string>;
  /** The codes that mean a real clinical event (a deployment's configured list); the default list's otherwise. */
  readonly clinicalDispositions?: ReadonlySet<string>;
}): BacktestResult {
  const { current, draft, from, to } = input;
  const patientDays = input.patients * Math.max(1, Math.round((to.getTime() - from.getTime()) / 86_400_000));
  const counts = new Map<string, { ruleId: string; severity: Severity; current: number; draft: number }>();
  const count = (alerts: readonly ReplayedAlert[], side: 'current' | 'draft'): void => {
    for (const a of alerts) {
      const key = `${a.ruleId}|${a.severity}`;
      const entry = counts.get(key) ?? { ruleId: a.ruleId, severity: a.severity, current: 0, draft: 0 };
      entry[side] += 1;
      counts.set(key, entry);
    }
  };
  count(current, 'current');
  count(draft, 'draft');

  const draftKeys = new Set(draft.map((a) => a.alertKey));
  const currentKeys = new Set(current.map((a) => a.alertKey));
  const alertedIn = (alerts: readonly ReplayedAlert[]) => new Set(alerts.map((a) => a.patientId));
  const before = alertedIn(current);
  const after = alertedIn(draft);
  const disposition = (a: ReplayedAlert): string | null => input.dispositions?.get(a.alertKey) ?? null;

  return {
    complete: input.complete,
    patients: input.patients,
    patientDays,
    perRule: [...counts.values()].sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.severity.localeCompare(b.severity)),
    alertsPerPatientDay: { current: patientDays ? current.length / patientDays : 0, draft: patientDays ? draft.length / patientDays : 0 },
    patientsNewlyAlerted: [...after].filter((p) => !before.has(p)).sort(),
    patientsNoLongerAlerted: [...before].filter((p) => !after.has(p)).sort(),
    disappearing: current
      .filter((a) => !draftKeys.has(a.alertKey))
      .map((a) => ({ ...a, disposition: disposition(a), clinical: (input.clinicalDispositions ?? CLINICAL_DISPOSITIONS).has(disposition(a) ?? '') })),
    appearing: draft.filter((a) => !currentKeys.has(a.alertKey)),
  };
}
