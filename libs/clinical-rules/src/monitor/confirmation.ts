import type { AlertExplanation, ObservationV1 } from '@rpm/contracts';
import type { RuleFiring } from '../evaluate-threshold';
import type { RuleDefinition } from '../rule-definition';
import type { PendingReading } from './monitor-state';
import { isoOf, toSec } from './signals';

/** Confirmation (CLINICAL.md 4.2): a breach of a confirm rule finds its partner or waits for one. */
export function confirm(
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

