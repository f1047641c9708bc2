import type { AlertResponse } from '@rpm/contracts';

/** "BP-02 for Jane Doe": how dialogs and messages name an alert. */
export function alertTitle(alert: AlertResponse): string {
  return `${alert.ruleId} for ${patientName(alert)}`;
}

/** The patient's name; a short id while an older API sends no patient block. */
export function patientName(alert: Pick<AlertResponse, 'patient' | 'patientId'>): string {
  return alert.patient?.name ?? `patient ${alert.patientId.slice(0, 8)}`;
}
