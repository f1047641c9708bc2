import type { Alert } from './arms';
import { DAY_MS, HOUR_MS, type SimulatedPatient } from './cohort';
import { legend, svgDocument } from '../pipeline/svg';

/** The figures bench:alert-quality prints per arm, and its chart. */

export interface ArmFigures {
  readonly alerts: number;
  readonly clinicalAlerts: number;
  readonly adherenceAlerts: number;
  readonly alertsPerPatientDay: number;
  readonly clinicalAlertsPerPatientDay: number;
  readonly eventsAlerted: number;
  readonly eventsAlertedShare: number;
  readonly medianHoursOnsetToFirstAlert: number | null;
  readonly unrelatedClinicalAlertShare: number;
  readonly missedByKind: Record<string, number>;
  readonly alertsByRule: Record<string, number>;
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** An alert catches an event when it is on that patient between onset and two days after the event ends. */
export const GRACE_MS = 2 * DAY_MS;

/**
 * `alerts` are counted; `seen` (default: the same) decides whether an event was alerted: for the
 * engine, a breach during the event that updates an episode opened before it is shown too.
 */
export function figures(patients: readonly SimulatedPatient[], alerts: readonly Alert[], days: number, seen: readonly Alert[] = alerts): ArmFigures {
  const byPatient = new Map<string, Alert[]>();
  for (const a of alerts) byPatient.set(a.patientId, [...(byPatient.get(a.patientId) ?? []), a]);
  const seenByPatient = new Map<string, Alert[]>();
  for (const a of seen) seenByPatient.set(a.patientId, [...(seenByPatient.get(a.patientId) ?? []), a]);
  const clinical = alerts.filter((a) => a.ruleId !== 'AD-01');
  const patientDays = patients.length * days;
  const events = patients.filter((p) => p.event);
  const delays: number[] = [];
  const missedByKind: Record<string, number> = {};
  let unrelated = 0;
  for (const patient of patients) {
    const mine = (byPatient.get(patient.id) ?? []).filter((a) => a.ruleId !== 'AD-01');
    const event = patient.event;
    const inWindow = (a: Alert): boolean => !!event && a.at >= event.onset && a.at <= event.end + GRACE_MS;
    unrelated += mine.filter((a) => !inWindow(a)).length;
    if (!event) continue;
    const first = (seenByPatient.get(patient.id) ?? []).filter((a) => a.ruleId !== 'AD-01' && inWindow(a)).sort((a, b) => a.at - b.at)[0];
    if (first) delays.push((first.at - event.onset) / HOUR_MS);
    else missedByKind[event.kind] = (missedByKind[event.kind] ?? 0) + 1;
  }
  return {
    alerts: alerts.length,
    clinicalAlerts: clinical.length,
    adherenceAlerts: alerts.length - clinical.length,
    alertsPerPatientDay: alerts.length / patientDays,
    clinicalAlertsPerPatientDay: clinical.length / patientDays,
    eventsAlerted: delays.length,
    eventsAlertedShare: events.length ? delays.length / events.length : 1,
    medianHoursOnsetToFirstAlert: median(delays),
    unrelatedClinicalAlertShare: clinical.length ? unrelated / clinical.length : 0,
    missedByKind,
    alertsByRule: Object.fromEntries([...alerts.reduce((m, a) => m.set(a.ruleId, (m.get(a.ruleId) ?? 0) + 1), new Map<string, number>())].sort((x, y) => y[1] - x[1])),
  };
}

export function chart(naiveArm: ArmFigures, engineArm: ArmFigures): string {
  const metrics: Array<[string, (f: ArmFigures) => number, (v: number) => string]> = [
    ['alerts per patient-day', (f) => f.alertsPerPatientDay, (v) => v.toFixed(3)],
    ['deteriorations alerted', (f) => f.eventsAlertedShare, (v) => `${(v * 100).toFixed(0)} %`],
    ['median h onset → alert', (f) => f.medianHoursOnsetToFirstAlert ?? 0, (v) => v.toFixed(1)],
    ['alerts tied to no event', (f) => f.unrelatedClinicalAlertShare, (v) => `${(v * 100).toFixed(0)} %`],
  ];
  const width = 760;
  const rowHeight = 70;
  const height = 60 + metrics.length * rowHeight;
  const bars = metrics
    .map(([label, value, show], i) => {
      const a = value(naiveArm);
      const b = value(engineArm);
      const max = Math.max(a, b) || 1;
      const y = 50 + i * rowHeight;
      const bar = (v: number, dy: number, colour: string) =>
        `<rect x="230" y="${y + dy}" width="${(v / max) * 420}" height="20" fill="${colour}"/><text x="${236 + (v / max) * 420}" y="${y + dy + 15}" font-size="12">${show(v)}</text>`;
      return `<text x="10" y="${y + 25}" font-size="13">${label}</text>${bar(a, 0, '#c0504d')}${bar(b, 24, '#4f81bd')}`;
    })
    .join('');
  return svgDocument(
    width,
    height,
    `<text x="10" y="22" font-size="15" font-weight="bold">Alert quality, simulated cohort: naive per-reading thresholds vs engine defaults</text>` +
      legend([{ label: '(a) naive', colour: '#c0504d' }, { label: '(b) engine', colour: '#4f81bd' }], 230, 41) +
      bars,
  );
}

