import type { AlertEvidence, ObservationV1 } from '@rpm/contracts';

/**
 * The components of an observation as alert evidence: canonical value and unit, and the value and
 * unit the device sent (a nurse reading "83.2 kg" sees it was "183.5 lb"). `codes` limits it to the
 * components a rule reads; all of them when omitted.
 */
export function evidenceOf(observation: ObservationV1, codes?: readonly string[]): AlertEvidence[] {
  return observation.components
    .filter((c) => !codes || codes.includes(c.code))
    .map((c) => ({
      observationId: observation.observationId,
      code: c.code,
      value: c.value,
      unit: c.unit,
      originalValue: c.originalValue,
      originalUnit: c.originalUnit,
      measuredAt: observation.measuredAt,
    }));
}
