import { ACVPU_LEVELS, type ObservationV1 } from '@rpm/contracts';
import { LOCAL_CODES, LOINC, UCUM } from '@rpm/vitals';
import { assembleNews2Set, evaluateNews2, type News2Reading, type News2Rule, type News2Score } from '../news2';
import type { EffectiveProtocol } from '../protocols/resolve-protocol';
import type { News2Entry } from './monitor-state';
import { isoOf, toSec, type Firing } from './signals';

/** Where each NEWS2 input comes from: the observation code, the parameter, the component read. */
export const NEWS2_SOURCES: ReadonlyArray<readonly [code: string, parameter: News2Reading['parameter'], component: string]> = [
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
export function news2InputOf(observation: ObservationV1): { parameter: News2Reading['parameter']; value: number | boolean | string } | null {
  const source = NEWS2_SOURCES.find(([code]) => code === observation.code);
  if (!source) return null;
  const [, parameter, componentCode] = source;
  const component = observation.components.find((c) => c.code === componentCode);
  if (!component) return null;
  if (parameter === 'consciousness') return { parameter, value: component.valueCode ?? ACVPU_LEVELS[component.value] ?? 'alert' };
  if (parameter === 'supplementalOxygen') return { parameter, value: component.value === 1 };
  return { parameter, value: component.value };
}


/** NEWS2 on the latest value of each input, as of this reading; null while the set is incomplete. */
export function news2Firing(
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

/** A NEWS2 episode ends when the score falls below the rule's band. */
export const news2Cleared = (rule: News2Rule, score: News2Score): boolean =>
  score.aggregate < rule.minAggregate && !(rule.orAnySingleThree && score.anySingleThree);

