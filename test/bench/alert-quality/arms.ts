import { ACKNOWLEDGE_TARGET_MINUTES, type AlertRaisedV1, type AlertSignalV1, type Severity } from '@rpm/contracts';
import {
  DEFAULT_RULES,
  EMPTY_MONITOR_STATE,
  SEVERITY_RANK,
  SUPPRESS_AFTER_CLOSE_MS,
  checkSilence,
  evaluateReading,
  observe,
  worsenedBeyondDeadband,
  type EffectiveProtocol,
  type MonitorState,
} from '@rpm/clinical-rules';
import { HOUR_MS, START, type SimulatedPatient } from './cohort';

/** The two arms of bench:alert-quality: per-reading thresholds, and the engine with the worklist's merging. */

export interface Alert {
  readonly patientId: string;
  readonly ruleId: string;
  readonly at: number;
}

/** (a) A per-reading system: every reading that breaches a threshold is an alert (resends of the same message deduplicated). */
export function naive(patient: SimulatedPatient): Alert[] {
  const context = { patientId: patient.id, programs: patient.programs, spo2Scale: patient.spo2Scale };
  const seen = new Set<string>();
  const alerts: Alert[] = [];
  for (const o of patient.readings) {
    if (seen.has(o.observationId)) continue;
    seen.add(o.observationId);
    for (const f of evaluateReading(o, context, new Date(o.receivedAt), DEFAULT_RULES)) {
      alerts.push({ patientId: patient.id, ruleId: f.ruleId, at: Date.parse(o.measuredAt) });
    }
  }
  return alerts;
}

/** When a nurse resolves a worklist item, at the latest: the response targets of CLINICAL.md 4.3. */
const resolvedAfterMs = (severity: Severity): number => ACKNOWLEDGE_TARGET_MINUTES[severity] * 60_000;

/**
 * (b) The engine: every episode it opens, and the worklist items they make, as care-api makes
 * them: an alert while an item of (patient, rule) is open lands on it; once a nurse resolved the
 * item, a further breach of the same episode comes back as a new item only when it is worse (a
 * higher severity, or a value beyond the item's worst by twice the deadband) or 24 h after the
 * item was closed (CLINICAL.md 4.2). AD-01 is checked hourly on the simulated clock.
 */
export function engine(patient: SimulatedPatient, protocol: EffectiveProtocol, days: number): { episodes: Alert[]; raised: Alert[]; items: Alert[] } {
  let state: MonitorState = EMPTY_MONITOR_STATE;
  const episodes: Alert[] = [];
  const raised: Alert[] = [];
  const items: Alert[] = [];
  const lastItem = new Map<string, { until: number; episode: string | undefined; severity: Severity; values: AlertRaisedV1['observations'] }>();
  const take = (signals: readonly AlertSignalV1[], arrival: number): void => {
    for (const s of signals) {
      if (s.schema !== 'rpm.alert-raised.v1') continue;
      const alert = { patientId: patient.id, ruleId: s.ruleId, at: s.ruleId === 'AD-01' ? arrival : Date.parse(s.measuredAt) };
      if (s.episode?.breaches === 1) episodes.push(alert);
      raised.push(alert);
      const item = lastItem.get(s.ruleId);
      if (item && item.until >= arrival) {
        // Lands on the open item; a worse severity restarts its (shorter) response target.
        const worse = SEVERITY_RANK[s.severity] > SEVERITY_RANK[item.severity];
        lastItem.set(s.ruleId, {
          until: worse ? Math.max(item.until, arrival + resolvedAfterMs(s.severity)) : item.until,
          episode: s.episode?.openedAt,
          severity: worse ? s.severity : item.severity,
          values: [...item.values, ...s.observations],
        });
        continue;
      }
      const suppressed =
        item &&
        s.episode &&
        s.episode.breaches > 1 &&
        item.episode === s.episode.openedAt &&
        arrival - item.until < SUPPRESS_AFTER_CLOSE_MS &&
        SEVERITY_RANK[s.severity] <= SEVERITY_RANK[item.severity] &&
        !worsenedBeyondDeadband(s.ruleId, item.values, s.observations);
      if (suppressed) continue;
      items.push(alert);
      lastItem.set(s.ruleId, { until: arrival + resolvedAfterMs(s.severity), episode: s.episode?.openedAt, severity: s.severity, values: s.observations });
    }
  };
  const byArrival = [...patient.readings].sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt));
  let next = 0;
  for (let hour = 0; hour <= days * 24; hour++) {
    const now = START + hour * HOUR_MS;
    while (next < byArrival.length && Date.parse(byArrival[next]!.receivedAt) <= now) {
      const o = byArrival[next++]!;
      const result = observe(state, o, protocol, { evaluatedAt: new Date(o.receivedAt) });
      state = result.state;
      take(result.signals, Date.parse(o.receivedAt));
    }
    const silence = checkSilence(state, patient.id, protocol, new Date(now));
    state = silence.state;
    take(silence.signals, now);
  }
  return { episodes, raised, items };
}

