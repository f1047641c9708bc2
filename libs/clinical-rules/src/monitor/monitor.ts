import {
  ACVPU_LEVELS,
  type AlertClearedV1,
  type AlertEvidence,
  type AlertExplanation,
  type AlertRaisedV1,
  type AlertSignalV1,
  type ObservationV1,
  type Severity,
} from '@rpm/contracts';
import { LOCAL_CODES, LOINC, UCUM } from '@rpm/vitals';
import { alertKey, deterministicUuid } from '../alert-key';
import { evaluateReading, type RuleFiring } from '../evaluate-threshold';
import { evidenceOf } from '../evidence';
import { assembleNews2Set, evaluateNews2, type News2Reading, type News2Rule, type News2Score } from '../news2';
import { MISSING_DATA_RULE } from '../protocols/programme-protocols';
import { explainRule, type EffectiveProtocol } from '../protocols/resolve-protocol';
import type { RuleDefinition } from '../rule-definition';
import { SEVERITY_RANK } from '../severity';
import { toAlertRaised } from '../to-alert';
import { addDays, applyObservation, evaluateTrends, localTimeOf, TREND_RETENTION_DAYS, weightObservationId, type TrendRule, type TrendState } from '../trends';
import { utcMidnightOf } from '../trends/local-day';
import { returnsToNormal, clearLimit, DEADBAND, relaxedTrendRule } from './deadband';
import type { Episode, MonitorState, News2Entry, PendingReading, SeenReading } from './monitor-state';

/** DQ-03: the same device, code and values within ±60 s is a resend (CLINICAL.md section 0). */
export const DUPLICATE_WINDOW_SEC = 60;
/** Readings in a row back inside the clear limit that end an episode: the return and one more (CLINICAL.md 4.2). */
export const CLEAR_AFTER_READINGS = 2;
/** Recent readings remembered for DQ-03; a device resends within minutes, not dozens of readings later. */
export const SEEN_LIMIT = 16;

export interface MonitorResult {
  readonly state: MonitorState;
  /** rpm.alerts.v1 records, in the order they happened. */
  readonly signals: AlertSignalV1[];
  /** The reading was dropped as a redelivery or a resend (DQ-03): the state changed at most in `pos`. */
  readonly duplicate: boolean;
}

export interface ObserveOptions {
  readonly evaluatedAt: Date;
  /**
   * The reading's position in its source (Kafka partition and offset): a reading at or before the
   * last applied offset of the same partition is a redelivery and is skipped, whatever the size of
   * the batch. A different partition (the topic was repartitioned) starts the count again.
   */
  readonly position?: readonly [partition: number, offset: number];
}

const toSec = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
const isoOf = (sec: number): string => new Date(sec * 1000).toISOString();

/** FNV-1a, 32 bit: a compact fingerprint for the DQ-03 memory (collisions among 16 entries are negligible). */
function fingerprint(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

interface Firing {
  readonly firing: RuleFiring;
  /** The reading the verdict is about, when not the one that arrived (a later day judged again). */
  readonly on?: ObservationV1;
  readonly window: AlertExplanation['window'];
  readonly news2?: { score: News2Score };
}

const NEWS2_SOURCES: ReadonlyArray<readonly [code: string, parameter: News2Reading['parameter'], component: string]> = [
  [LOINC.respiratoryRate, 'respiratoryRate', LOINC.respiratoryRate],
  [LOINC.spo2, 'spo2', LOINC.spo2],
  [LOINC.bloodPressurePanel, 'systolicBp', LOINC.systolic],
  [LOINC.heartRate, 'pulse', LOINC.heartRate],
  [LOINC.bodyTemperature, 'temperature', LOINC.bodyTemperature],
  [LOINC.consciousness, 'consciousness', LOINC.consciousness],
  [LOCAL_CODES.supplementalOxygen, 'supplementalOxygen', LOCAL_CODES.supplementalOxygen],
];

const NEWS2_EVIDENCE: Readonly<Record<News2Reading['parameter'], readonly [code: string, unit: string]>> = {
  respiratoryRate: [LOINC.respiratoryRate, UCUM.perMinute],
  spo2: [LOINC.spo2, UCUM.percent],
  systolicBp: [LOINC.systolic, UCUM.mmHg],
  pulse: [LOINC.heartRate, UCUM.perMinute],
  temperature: [LOINC.bodyTemperature, UCUM.celsius],
  consciousness: [LOINC.consciousness, UCUM.acvpu],
  supplementalOxygen: [LOCAL_CODES.supplementalOxygen, UCUM.yesNo],
};

/** The NEWS2 input this observation carries, if any. */
function news2InputOf(observation: ObservationV1): { parameter: News2Reading['parameter']; value: number | boolean | string } | null {
  const source = NEWS2_SOURCES.find(([code]) => code === observation.code);
  if (!source) return null;
  const [, parameter, componentCode] = source;
  const component = observation.components.find((c) => c.code === componentCode);
  if (!component) return null;
  if (parameter === 'consciousness') return { parameter, value: component.valueCode ?? ACVPU_LEVELS[component.value] ?? 'alert' };
  if (parameter === 'supplementalOxygen') return { parameter, value: component.value === 1 };
  return { parameter, value: component.value };
}


/** Confirmation (CLINICAL.md 4.2): a breach of a confirm rule finds its partner or waits for one. */
function confirm(
  rule: RuleDefinition,
  firing: RuleFiring,
  observation: ObservationV1,
  pending: readonly PendingReading[],
): { firing: RuleFiring; window: AlertExplanation['window']; pending: PendingReading[] } {
  const at = toSec(observation.measuredAt);
  const minGap = rule.confirmWindow.minGapMinutes * 60;
  const within = rule.confirmWindow.withinMinutes * 60;
  const own: PendingReading = [at, observation.observationId, firing.evidence.map((e) => [e.code, e.value, e.unit] as const)];
  const kept = [...pending, own].filter(([t]) => t >= at - within && t <= at + within).sort((a, b) => a[0] - b[0]).slice(-4);
  const partner = pending
    .filter(([t]) => Math.abs(at - t) >= minGap && Math.abs(at - t) <= within)
    .sort((a, b) => Math.abs(at - a[0]) - Math.abs(at - b[0]))[0];
  const single = { description: 'one reading', from: observation.measuredAt, to: observation.measuredAt };
  if (!partner) return { firing, window: single, pending: kept };
  const [partnerAt, partnerId, partnerEvidence] = partner;
  const minutes = Math.round(Math.abs(at - partnerAt) / 60);
  const earlier = partnerEvidence.map(([code, value, unit]) => ({ observationId: partnerId, code, value, unit, measuredAt: isoOf(partnerAt) }));
  const confirmed: RuleFiring = {
    ...firing,
    kind: 'alert',
    // Two readings: DQ-02's downgrade is for single-reading alerts only.
    severity: rule.severity,
    summary: `${firing.summary.replace(' — recheck requested', '')} — confirmed by a second reading ${minutes} min apart`,
    evidence: at >= partnerAt ? [...earlier, ...firing.evidence] : [...firing.evidence, ...earlier],
  };
  const window = {
    description: `two readings ${minutes} min apart (confirmation: ${rule.confirmWindow.minGapMinutes}–${rule.confirmWindow.withinMinutes} min)`,
    from: isoOf(Math.min(at, partnerAt)),
    to: isoOf(Math.max(at, partnerAt)),
  };
  return { firing: confirmed, window, pending: kept };
}

function trendWindow(rule: TrendRule, observation: ObservationV1, evidence: readonly AlertEvidence[]): AlertExplanation['window'] {
  const times = evidence.map((e) => Date.parse(e.measuredAt));
  const to = new Date(Math.max(Date.parse(observation.measuredAt), ...times)).toISOString();
  switch (rule.measure) {
    case 'weight_change':
      return { description: 'first morning weights compared (local days)', from: new Date(Math.min(...times)).toISOString(), to };
    case 'bp_mean':
      return {
        description: `mean of ${rule.windowDays} local days (at least ${rule.minReadings} readings on ${rule.minDays} days)`,
        from: new Date(Date.parse(observation.measuredAt) - (rule.windowDays - 1) * 86_400_000).toISOString(),
        to,
      };
    case 'spo2_median_drop':
      return {
        description: `daily median against the median of the previous ${rule.baselineDays} days (at least ${rule.minBaselineDays} days)`,
        from: new Date(Date.parse(observation.measuredAt) - rule.baselineDays * 86_400_000).toISOString(),
        to,
      };
  }
}

function news2Firing(
  state: Readonly<Record<string, News2Entry>>,
  observation: ObservationV1,
  protocol: EffectiveProtocol,
): { firing: Firing | null; score: News2Score } | null {
  const readings = Object.entries(state).map(
    ([parameter, [value, at, sourceId]]) => ({ parameter, value, measuredAt: isoOf(at), sourceId }) as News2Reading,
  );
  const set = assembleNews2Set(readings, isoOf(toSec(observation.measuredAt)));
  if (!set) return null;
  const { score, firing } = evaluateNews2(set, protocol.spo2Scale, protocol.news2Rules);
  if (!firing || firing.kind !== 'alert') return { firing: null, score };
  const evidence = firing.evidence.map((r) => {
    const [code, unit] = NEWS2_EVIDENCE[r.parameter];
    const value = typeof r.value === 'boolean' ? (r.value ? 1 : 0) : typeof r.value === 'string' ? ACVPU_LEVELS.indexOf(r.value) : r.value;
    return { observationId: r.sourceId, code, value, unit, measuredAt: r.measuredAt };
  });
  return {
    score,
    firing: {
      firing: {
        ruleId: firing.ruleId,
        ruleSource: firing.ruleSource,
        severity: firing.severity,
        kind: 'alert',
        summary: firing.summary,
        threshold: firing.threshold,
        retrospective: false,
        evidence,
      },
      window: { description: 'seven NEWS2 parameters within 60 min', from: set.oldestAt, to: set.newestAt },
      news2: { score },
    },
  };
}

/**
 * The first morning weights of the days after this reading's day, within the weight rules'
 * look-back, as observations rebuilt from the trend state (their own ids and times), so that
 * their alerts carry the same keys as if the readings had come in order.
 */
function laterFirstWeights(trend: TrendState, observation: ObservationV1, timeZone: string): ObservationV1[] {
  const date = localTimeOf(observation.measuredAt, timeZone).date;
  const later: ObservationV1[] = [];
  for (let days = 1; days <= TREND_RETENTION_DAYS.weight; days++) {
    const day = addDays(date, days);
    const first = trend.days[day]?.w;
    if (!first) continue;
    const [kg, atSec, id] = first;
    later.push({
      ...observation,
      observationId: weightObservationId(id),
      messageId: weightObservationId(id).split('/')[1] ?? '',
      measuredAt: new Date(utcMidnightOf(day) + Math.round(atSec * 1000)).toISOString(),
      components: [{ code: LOINC.bodyWeight, value: kg, unit: UCUM.kg, originalValue: kg, originalUnit: UCUM.kg }],
    });
  }
  return later;
}

const news2Cleared = (rule: News2Rule, score: News2Score): boolean =>
  score.aggregate < rule.minAggregate && !(rule.orAnySingleThree && score.anySingleThree);

function explanation(protocol: EffectiveProtocol, f: Firing): AlertExplanation | undefined {
  const explained = explainRule(protocol, f.firing.ruleId);
  if (!explained) return undefined;
  return {
    ...explained,
    ...(f.window ? { window: f.window } : {}),
    ...(f.news2 ? { news2: { aggregate: f.news2.score.aggregate, scale: f.news2.score.scale, subScores: { ...f.news2.score.subScores } } } : {}),
  };
}

function cleared(
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

/**
 * AD-01: no reading for the protocol's cadence as of `now` raises one low alert per silence;
 * the next reading ends it (observe). The alert key is derived from the silence's start, so two
 * instances that both check during a rebalance raise the same alert, which the worklist keeps once.
 */
export function checkSilence(state: MonitorState, patientId: string, protocol: EffectiveProtocol, now: Date): MonitorResult {
  const none = { state, signals: [], duplicate: false };
  if (!protocol.missingData || state.lastSec === undefined || !state.lastEv || state.open[MISSING_DATA_RULE.id]) return none;
  const silentMs = now.getTime() - state.lastSec * 1000;
  if (silentMs < protocol.missingData.cadenceMs) return none;
  const hours = Math.floor(silentMs / 3_600_000);
  const cadenceHours = protocol.missingData.cadenceMs / 3_600_000;
  const episode: Episode = { at: state.lastSec, last: state.lastSec, n: 1, sev: MISSING_DATA_RULE.severity };
  const explained = explainRule(protocol, MISSING_DATA_RULE.id);
  const raised: AlertRaisedV1 = {
    schema: 'rpm.alert-raised.v1',
    alertKey: alertKey(patientId, MISSING_DATA_RULE.id, `silent-since-${state.lastSec}`),
    patientId,
    ruleId: MISSING_DATA_RULE.id,
    ruleSource: MISSING_DATA_RULE.source,
    severity: MISSING_DATA_RULE.severity,
    kind: 'alert',
    summary: `No reading for ${hours} h; expected at least every ${cadenceHours} h (${MISSING_DATA_RULE.id} ${MISSING_DATA_RULE.title})`,
    threshold: `No reading for ≥ ${cadenceHours} h`,
    retrospective: false,
    measuredAt: isoOf(state.lastSec),
    evaluatedAt: now.toISOString(),
    // The last reading before the silence: what the nurse sees the patient last sent.
    observations: state.lastEv
      ? [{ observationId: state.lastEv[0], code: state.lastEv[1], value: state.lastEv[2], unit: state.lastEv[3], measuredAt: isoOf(state.lastSec) }]
      : [],
    ...(explained
      ? { explanation: { ...explained, window: { description: `silence since the last reading`, from: isoOf(state.lastSec), to: now.toISOString() } } }
      : {}),
    episode: { openedAt: isoOf(episode.at), breaches: 1 },
  };
  return { state: { ...state, open: { ...state.open, [MISSING_DATA_RULE.id]: episode } }, signals: [raised], duplicate: false };
}
