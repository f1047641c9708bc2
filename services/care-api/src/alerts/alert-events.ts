import { createHash } from 'node:crypto';
import type { AlertEventV1, AlertStatus } from '@rpm/contracts';

/** A UUID derived from its inputs, so that re-publishing the same event keeps its id. */
function stableUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

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
    eventId: stableUuid(e.alertId, e.type, e.discriminator),
    alertId: e.alertId,
    patientId: e.patientId,
    type: e.type,
    status: e.status,
    at: e.at.toISOString(),
    actor: e.actor,
    disposition: e.disposition,
  };
}
