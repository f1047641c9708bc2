import type { AlertRaisedV1, ObservationV1 } from '@rpm/contracts';
import { alertKey } from './alert-key';
import type { RuleFiring } from './evaluate-threshold';

/** The rpm.alerts.v1 event for a firing on an observation; the key is deterministic (replay-safe). */
export function toAlertRaised(firing: RuleFiring, observation: ObservationV1, evaluatedAt: Date): AlertRaisedV1 {
  return {
    schema: 'rpm.alert-raised.v1',
    alertKey: alertKey(observation.patientId, firing.ruleId, observation.observationId),
    patientId: observation.patientId,
    ruleId: firing.ruleId,
    ruleSource: firing.ruleSource,
    severity: firing.severity,
    kind: firing.kind,
    summary: firing.summary,
    threshold: firing.threshold,
    retrospective: firing.retrospective,
    measuredAt: observation.measuredAt,
    evaluatedAt: evaluatedAt.toISOString(),
    observations: firing.evidence,
  };
}
