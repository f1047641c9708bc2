import type { AlertRaisedV1 } from '@rpm/contracts';
import { alertKey } from '../alert-key';
import { MISSING_DATA_RULE } from '../protocols/programme-protocols';
import { explainRule, type EffectiveProtocol } from '../protocols/resolve-protocol';
import type { Episode, MonitorState } from './monitor-state';
import { isoOf, type MonitorResult } from './signals';

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
    observations: [{ observationId: state.lastEv[0], code: state.lastEv[1], value: state.lastEv[2], unit: state.lastEv[3], measuredAt: isoOf(state.lastSec) }],
    ...(explained
      ? { explanation: { ...explained, window: { description: `silence since the last reading`, from: isoOf(state.lastSec), to: now.toISOString() } } }
      : {}),
    episode: { openedAt: isoOf(episode.at), breaches: 1 },
  };
  return { state: { ...state, open: { ...state.open, [MISSING_DATA_RULE.id]: episode } }, signals: [raised], duplicate: false };
}
