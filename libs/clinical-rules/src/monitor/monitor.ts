import type { AlertRaisedV1, AlertSignalV1, ObservationV1, Severity } from '@rpm/contracts';
import { LOINC } from '@rpm/vitals';
import { evaluateReading } from '../evaluate-threshold';
import type { News2Score } from '../news2';
import { MISSING_DATA_RULE } from '../protocols/programme-protocols';
import type { EffectiveProtocol } from '../protocols/resolve-protocol';
import { SEVERITY_RANK } from '../severity';
import { toAlertRaised } from '../to-alert';
import { applyObservation, evaluateTrends, localTimeOf } from '../trends';
import { confirm } from './confirmation';
import { returnsToNormal, clearLimit, DEADBAND, relaxedTrendRule } from './deadband';
import type { Episode, MonitorState, PendingReading, SeenReading } from './monitor-state';
import { NEWS2_SOURCES, news2Cleared, news2Firing, news2InputOf } from './news2-inputs';
import { cleared, explanation, isoOf, toSec, type Firing, type MonitorResult } from './signals';
import { laterFirstWeights, trendWindow } from './trend-inputs';

/** DQ-03: the same device, code and values within ±60 s is a resend (CLINICAL.md section 0). */
export const DUPLICATE_WINDOW_SEC = 60;
/** Readings in a row back inside the clear limit that end an episode: the return and one more (CLINICAL.md 4.2). */
export const CLEAR_AFTER_READINGS = 2;
/** Recent readings remembered for DQ-03; a device resends within minutes, not dozens of readings later. */
export const SEEN_LIMIT = 16;

export interface ObserveOptions {
  readonly evaluatedAt: Date;
  /**
   * The reading's position in its source (Kafka partition and offset): a reading at or before the
   * last applied offset of the same partition is a redelivery and is skipped, whatever the size of
   * the batch. A different partition (the topic was repartitioned) starts the count again.
   */
  readonly position?: readonly [partition: number, offset: number];
}

/** FNV-1a, 32 bit: a compact fingerprint for the DQ-03 memory (collisions among 16 entries are negligible). */
function fingerprint(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

function worse(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/**
 * Folds one normalised observation into a patient's monitor state and says what the worklist
 * must hear: new or updated alerts (rpm.alert-raised.v1) and ended episodes (rpm.alert-cleared.v1).
 * Pure: the result depends on the state, the reading and the protocol; `evaluatedAt` is only stamped.
 *
 * 1. Redeliveries (position) and resends (DQ-03: same device, code and values within ±60 s, which
 *    includes the same message again) are dropped before anything counts them twice.
 * 2. Threshold rules; confirm rules raise a one-level-lower recheck on a single breach and full
 *    severity once a second breach lies inside the rule's confirmation window (measured time).
 * 3. Trend rules on the state including this reading (late readings land on their own day).
 * 4. NEWS2 on the latest reading of each of the seven inputs, when all lie within 60 min.
 * 5. Episodes: one per (patient, rule). A breach while one is open updates it; it ends when the
 *    values return inside the limit by the deadband (thresholds), a later day no longer fires
 *    even with the thresholds moved by the deadband (trends), the score falls below the rule's
 *    band (NEWS2), or data resumes (AD-01).
 */
export function observe(state: MonitorState, observation: ObservationV1, protocol: EffectiveProtocol, options: ObserveOptions): MonitorResult {
  const { evaluatedAt, position } = options;
  if (position && state.pos && position[0] === state.pos[0] && position[1] <= state.pos[1]) return { state, signals: [], duplicate: true };
  const positioned = position === undefined ? {} : { pos: position };
  const at = toSec(observation.measuredAt);
  let content = `${observation.deviceId}|${observation.code}`;
  for (const c of observation.components) content += `|${c.value}`;
  const contentHash = fingerprint(content);
  for (const [hash, t] of state.seen) {
    if (hash === contentHash && Math.abs(t - at) <= DUPLICATE_WINDOW_SEC) return { state: { ...state, ...positioned }, signals: [], duplicate: true };
  }
  const seen: SeenReading[] = state.seen.length >= SEEN_LIMIT ? state.seen.slice(1 - SEEN_LIMIT) : state.seen.slice();
  seen.push([contentHash, at]);

  const patientId = observation.patientId;
  const signals: AlertSignalV1[] = [];
  // Copied only when written: most readings open, update and end nothing.
  let open: Record<string, Episode> = state.open as Record<string, Episode>;
  let pending: Record<string, readonly PendingReading[]> = state.pending as Record<string, readonly PendingReading[]>;
  const writableOpen = (): Record<string, Episode> => (open === state.open ? (open = { ...state.open }) : open);
  const writablePending = (): Record<string, readonly PendingReading[]> => (pending === state.pending ? (pending = { ...state.pending }) : pending);

  const silence = open[MISSING_DATA_RULE.id];
  // Any new reading measured since the silence began ends it, one in the same second included.
  if (silence && at >= silence.last) {
    delete writableOpen()[MISSING_DATA_RULE.id];
    signals.push(cleared(patientId, MISSING_DATA_RULE.id, 'data_resumed', `Data resumed: a reading measured ${observation.measuredAt} (${MISSING_DATA_RULE.id})`, observation, evaluatedAt));
  }

  const trend = applyObservation(state.trend, observation, protocol.timezone);
  const firings: Firing[] = [];

  // Thresholds, with confirmation.
  const context = { patientId, programs: protocol.programs, spo2Scale: protocol.spo2Scale };
  const thresholdRules = protocol.thresholdRulesByVital.get(observation.code) ?? [];
  for (const firing of thresholdRules.length ? evaluateReading(observation, context, evaluatedAt, thresholdRules) : []) {
    const rule = thresholdRules.find((r) => r.id === firing.ruleId)!;
    if (!rule.confirm) {
      firings.push({ firing, window: { description: 'one reading', from: observation.measuredAt, to: observation.measuredAt } });
      continue;
    }
    const confirmed = confirm(rule, firing, observation, pending[rule.id] ?? []);
    writablePending()[rule.id] = confirmed.pending;
    firings.push({ firing: confirmed.firing, window: confirmed.window });
  }

  // Trends.
  const trendPatient = { programs: protocol.programs, timezone: protocol.timezone };
  const trendRules = protocol.trendRulesByVital.get(observation.code) ?? [];
  for (const firing of trendRules.length ? evaluateTrends(trend, observation, trendPatient, evaluatedAt, trendRules) : []) {
    const rule = trendRules.find((r) => r.id === firing.ruleId)!;
    firings.push({ firing, window: trendWindow(rule, observation, firing.evidence) });
  }
  // A weight measured before later days' first weights changes their verdicts too (a scale that
  // syncs out of order): those days are judged again, each on its own first weight.
  if (observation.code === LOINC.bodyWeight && trendRules.length && trend !== state.trend) {
    for (const later of laterFirstWeights(trend, observation, protocol.timezone)) {
      for (const firing of evaluateTrends(trend, later, trendPatient, evaluatedAt, trendRules)) {
        const rule = trendRules.find((r) => r.id === firing.ruleId)!;
        firings.push({ firing, window: trendWindow(rule, later, firing.evidence), on: later });
      }
    }
  }

  // NEWS2.
  let news2 = state.news2;
  let news2Score: News2Score | null = null;
  const input = news2InputOf(observation);
  if (input && protocol.news2Rules.length > 0) {
    const current = news2[input.parameter];
    if (!current || at > current[1] || (at === current[1] && observation.observationId > current[2])) {
      news2 = { ...news2, [input.parameter]: [input.value, at, observation.observationId] };
    }
    // Scoring needs all seven inputs: most patients never report consciousness or oxygen.
    const result = Object.keys(news2).length === NEWS2_SOURCES.length ? news2Firing(news2, observation, protocol) : null;
    if (result) {
      news2Score = result.score;
      if (result.firing) {
        const episode = open[result.firing.firing.ruleId];
        // An unchanged score on an open episode is no news: minute-level SpO2 would repeat it all day.
        if (!episode || episode.score !== result.score.aggregate) firings.push(result.firing);
      }
    }
  }

  // Episodes: open or update.
  const fired = new Set<string>();
  for (const f of firings) {
    const { ruleId, severity } = f.firing;
    fired.add(ruleId);
    const on = f.on ?? observation;
    const onAt = f.on ? toSec(f.on.measuredAt) : at;
    const before = open[ruleId];
    const episode: Episode = before
      ? { at: Math.min(before.at, onAt), last: Math.max(before.last, onAt), n: before.n + 1, sev: worse(before.sev, severity), ...(f.news2 ? { score: f.news2.score.aggregate } : {}) }
      : { at: onAt, last: onAt, n: 1, sev: severity, ...(f.news2 ? { score: f.news2.score.aggregate } : {}) };
    writableOpen()[ruleId] = episode;
    const raised: AlertRaisedV1 = toAlertRaised(f.firing, on, evaluatedAt);
    const explained = explanation(protocol, f);
    signals.push({ ...raised, ...(explained ? { explanation: explained } : {}), episode: { openedAt: isoOf(episode.at), breaches: episode.n } });
  }

  // Episodes: end. A reading measured before the episode's latest breach cannot end it (the
  // readings of one device message share their time, so the same instant may). CLINICAL.md 4.2:
  // re-arm only once the value is back inside the limit by the deadband and stays there for one
  // further reading, so a chronically borderline value does not open and close episodes.
  for (const ruleId in open) {
    const episode = open[ruleId]!;
    if (fired.has(ruleId) || at < episode.last) continue;
    let normal: boolean | null = null;
    let summary = '';
    const thresholdRule = thresholdRules.find((r) => r.id === ruleId);
    const trendRule = thresholdRule ? undefined : trendRules.find((r) => r.id === ruleId);
    const news2Rule = thresholdRule || trendRule ? undefined : protocol.news2Rules.find((r) => r.id === ruleId);
    if (thresholdRule) {
      normal = returnsToNormal(thresholdRule, observation);
      const limits = thresholdRule.conditions
        .map((c) => `${clearLimit(c).comparator} ${clearLimit(c).threshold} (deadband ${DEADBAND[c.code] ?? 0})`)
        .join(', ');
      summary = `Returned to normal: back inside ${ruleId} limits ${limits} on ${CLEAR_AFTER_READINGS} readings in a row`;
    } else if (trendRule) {
      const day = localTimeOf(observation.measuredAt, protocol.timezone).date;
      const breachDay = localTimeOf(isoOf(episode.last), protocol.timezone).date;
      // Only a later day's verdict counts; the breach day's other readings say nothing new.
      if (day > breachDay) normal = evaluateTrends(trend, observation, trendPatient, evaluatedAt, [relaxedTrendRule(trendRule)]).length === 0;
      summary = `Returned to normal: ${ruleId} ${trendRule.title} no longer met, even with its deadband, on ${CLEAR_AFTER_READINGS} evaluations in a row (last ${day})`;
    } else if (news2Rule && news2Score) {
      normal = news2Cleared(news2Rule, news2Score);
      summary = `Returned to normal: NEWS2 ${news2Score.aggregate} (${ruleId} ${news2Rule.title})`;
    }
    if (normal === null) continue;
    const inRow = normal ? (episode.ok ?? 0) + 1 : 0;
    if (inRow >= CLEAR_AFTER_READINGS) {
      delete writableOpen()[ruleId];
      if (pending[ruleId]) delete writablePending()[ruleId];
      signals.push(cleared(patientId, ruleId, 'returned_to_normal', summary, observation, evaluatedAt));
    } else if (inRow !== (episode.ok ?? 0)) {
      const { ok: _ok, ...rest } = episode;
      writableOpen()[ruleId] = inRow > 0 ? { ...rest, ok: inRow } : rest;
    }
  }

  const next: { -readonly [K in keyof MonitorState]: MonitorState[K] } = { v: 1, trend, seen, pending, open, news2 };
  if (state.lastSec === undefined || at >= state.lastSec) {
    next.lastSec = at;
    const first = observation.components[0];
    if (first) next.lastEv = [observation.observationId, first.code, first.value, first.unit];
  } else {
    next.lastSec = state.lastSec;
    if (state.lastEv) next.lastEv = state.lastEv;
  }
  const pos = position ?? state.pos;
  if (pos !== undefined) next.pos = pos;
  return { state: next, signals, duplicate: false };
}

