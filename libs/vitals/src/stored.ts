import type { ObservationComponent, ObservationV1, ReadingType } from '@rpm/contracts';
import { CODE_OF_TYPE } from './codes';

/** One stored component row of the time series (the vitals store's `observations` table). */
export interface StoredComponent {
  readonly patientId: string;
  readonly deviceId: string;
  readonly messageId: string;
  readonly code: string;
  readonly panelCode: string;
  readonly value: number;
  readonly unit: string;
  readonly originalValue: number;
  readonly originalUnit: string;
  readonly measuredAt: Date;
  readonly measuredAtOffset: string;
  readonly receivedAt: Date;
}

const TYPE_OF_CODE = new Map(Object.entries(CODE_OF_TYPE).map(([type, code]) => [code, type as ReadingType]));

/**
 * Stored rows back into observations, as the rules engine received them: one per (device, message,
 * panel), components together. Rows must come ordered so that a reading's components are adjacent
 * (by patient, device, message, panel code). Rows of an unknown panel code are skipped; a coded
 * answer comes back as its ordinal (its valueCode is not stored).
 */
export function observationsFromStored(rows: Iterable<StoredComponent>): ObservationV1[] {
  const out: ObservationV1[] = [];
  let current: (ObservationV1 & { components: ObservationComponent[] }) | null = null;
  for (const r of rows) {
    const type = TYPE_OF_CODE.get(r.panelCode);
    if (!type) continue;
    const observationId = `${r.deviceId}/${r.messageId}/${type}`;
    const component: ObservationComponent = { code: r.code, value: r.value, unit: r.unit, originalValue: r.originalValue, originalUnit: r.originalUnit };
    if (current && current.observationId === observationId && current.patientId === r.patientId) {
      current.components.push(component);
      continue;
    }
    current = {
      schema: 'rpm.observation.v1',
      observationId,
      patientId: r.patientId,
      deviceId: r.deviceId,
      messageId: r.messageId,
      type,
      code: r.panelCode,
      measuredAt: r.measuredAt.toISOString(),
      measuredAtOffset: r.measuredAtOffset,
      receivedAt: r.receivedAt.toISOString(),
      components: [component],
    };
    out.push(current);
  }
  return out;
}
