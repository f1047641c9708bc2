import { z } from 'zod';
import { AlertEventV1, AlertSignalV1 } from './alert';
import { DeadLetterV1 } from './dead-letter';
import { DeviceStatusV1 } from './device-payload';
import { EhrPushDeadLetterV1 } from './ehr-push';
import { ObservationV1 } from './observation';
import { DeviceBindingV1, RulesConfigV1, RulesStateV1 } from './registry';

/** A topic's name, key and schema travel together (partition counts: infra/kafka/topics.tsv). */
export interface TopicDefinition<S extends z.ZodTypeAny> {
  readonly name: string;
  readonly key: string;
  readonly schema: S;
  readonly compacted: boolean;
}

function topic<S extends z.ZodTypeAny>(name: string, key: string, schema: S, compacted = false): TopicDefinition<S> {
  return { name, key, schema, compacted };
}

export const Topics = {
  observations: topic('rpm.observations.v1', 'patientId', ObservationV1),
  ingestDlq: topic('rpm.ingest.dlq.v1', 'deviceId', DeadLetterV1),
  alerts: topic('rpm.alerts.v1', 'patientId', AlertSignalV1),
  alertEvents: topic('rpm.alert-events.v1', 'patientId', AlertEventV1),
  deviceRegistry: topic('rpm.registry.devices.v1', 'deviceId', DeviceBindingV1, true),
  deviceStatus: topic('rpm.devices.status.v1', 'deviceId', DeviceStatusV1, true),
  rulesConfig: topic('rpm.rules.config.v1', 'patientId or programme:{name}', RulesConfigV1, true),
  rulesState: topic('rpm.rules.state.v1', 'patientId', RulesStateV1, true),
  /** What the EHR push (care-api, docs/adr/0012) gave up on. */
  ehrPushDlq: topic('rpm.ehr-push.dlq.v1', 'patientId', EhrPushDeadLetterV1),
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics]['name'];
