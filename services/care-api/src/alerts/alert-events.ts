import { deterministicUuid } from '@rpm/clinical-rules';
import type { AlertEventV1, AlertStatus } from '@rpm/contracts';

export function alertEvent(e: {
  alertId: string;
  patientId: string;
  type: AlertEventV1['type'];
  status: AlertStatus;
  at: Date;
  actor: string;
  disposition: string | null;
  discriminator: string;
}): AlertEventV1 {
  return {
    schema: 'rpm.alert-event.v1',
    eventId: deterministicUuid('rpm.alert-event.v1', e.alertId, e.type, e.discriminator),
    alertId: e.alertId,
    patientId: e.patientId,
    type: e.type,
    status: e.status,
    at: e.at.toISOString(),
    actor: e.actor,
    disposition: e.disposition,
  };
}
