import type { Severity } from '@rpm/contracts';
import type { AlertEntity } from '../alerts/alert.entity';
import { RPM_SYSTEMS, patientReference, type CodeableConcept, type FhirResource, type Reference } from './fhir-types';

/** R4 core extensions: a flag's priority (flag-priority-code PN/PL/PM/PH) and the record behind it. */
const FLAG_PRIORITY_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/flag-priority';
const FLAG_DETAIL_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/flag-detail';

const FLAG_PRIORITY: Readonly<Record<Severity, { code: string; display: string }>> = {
  high: { code: 'PH', display: 'High priority' },
  medium: { code: 'PM', display: 'Medium priority' },
  low: { code: 'PL', display: 'Low priority' },
};

/** CLINICAL.md 4.3 response targets: high within 30 min is "stat", medium within 4 h "urgent". */
const TASK_PRIORITY: Readonly<Record<Severity, 'stat' | 'urgent' | 'routine'>> = { high: 'stat', medium: 'urgent', low: 'routine' };

function ruleConcept(a: AlertEntity): CodeableConcept {
  return { coding: [{ system: RPM_SYSTEMS.rule, code: a.ruleId, display: a.explanation?.rule.title ?? a.ruleId }], text: a.summary };
}

const userReference = (sub: string): Reference => ({ identifier: { system: RPM_SYSTEMS.user, value: sub }, display: sub });

/** An alert as a Flag (ADR 0011): active while the worklist item is open or acknowledged, with the readings behind it. */
export function toFhirFlag(a: AlertEntity, observationIds: readonly string[]): FhirResource {
  const priority = FLAG_PRIORITY[a.severity];
  return {
    resourceType: 'Flag',
    id: a.id,
    meta: { lastUpdated: a.updatedAt.toISOString() },
    extension: [
      { url: FLAG_PRIORITY_EXTENSION, valueCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/flag-priority-code', code: priority.code, display: priority.display }] } },
      ...observationIds.map((id) => ({ url: FLAG_DETAIL_EXTENSION, valueReference: { reference: `Observation/${id}` } })),
    ],
    identifier: [{ system: RPM_SYSTEMS.alertId, value: a.id }],
    status: a.status === 'resolved' ? 'inactive' : 'active',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'clinical', display: 'Clinical' }] }],
    code: ruleConcept(a),
    subject: patientReference(a.patientId),
    period: { start: a.raisedAt.toISOString(), ...(a.resolvedAt ? { end: a.resolvedAt.toISOString() } : {}) },
    author: { display: `rules ${a.ruleSource}` },
  };
}

/**
 * The worklist item as a Task: open -> requested (ready once someone owns it), acknowledged ->
 * in-progress, resolved -> completed; the owner is the assignee, else whoever acknowledged it.
 */
function taskStatus(a: AlertEntity): 'requested' | 'ready' | 'in-progress' | 'completed' {
  switch (a.status) {
    case 'open':
      return a.assignedTo ? 'ready' : 'requested';
    case 'acknowledged':
      return 'in-progress';
    case 'resolved':
      return 'completed';
  }
}

/** Triage state beside the status: what a nurse sees on the card. */
function businessStatus(a: AlertEntity): string | null {
  if (a.snoozedUntil && a.status !== 'resolved') return 'snoozed';
  if (a.escalatedAt && a.status === 'open') return 'escalated';
  if (a.returnedToNormalAt && a.status !== 'resolved') return 'returned to normal';
  return null;
}

export function toFhirTask(a: AlertEntity, observationIds: readonly string[]): FhirResource {
  const owner = a.assignedTo ?? (a.status !== 'open' ? a.acknowledgedBy : null);
  const state = businessStatus(a);
  return {
    resourceType: 'Task',
    id: a.id,
    meta: { lastUpdated: a.updatedAt.toISOString() },
    identifier: [{ system: RPM_SYSTEMS.alertId, value: a.id }],
    status: taskStatus(a),
    ...(state ? { businessStatus: { text: state } } : {}),
    intent: 'order',
    priority: TASK_PRIORITY[a.severity],
    code: ruleConcept(a),
    description: a.summary,
    focus: { reference: `Flag/${a.id}` },
    for: patientReference(a.patientId),
    authoredOn: a.raisedAt.toISOString(),
    lastModified: a.updatedAt.toISOString(),
    ...(owner ? { owner: userReference(owner) } : {}),
    ...(a.acknowledgedAt ? { executionPeriod: { start: a.acknowledgedAt.toISOString(), ...(a.resolvedAt ? { end: a.resolvedAt.toISOString() } : {}) } } : {}),
    restriction: { period: { end: a.acknowledgeBy.toISOString() } },
    ...(observationIds.length > 0
      ? { input: observationIds.map((id) => ({ type: { text: 'triggering observation' }, valueReference: { reference: `Observation/${id}` } })) }
      : {}),
    ...(a.disposition
      ? { output: [{ type: { text: 'disposition' }, valueCodeableConcept: { coding: [{ system: RPM_SYSTEMS.disposition, code: a.disposition }] } }] }
      : {}),
    ...(a.note ? { note: [{ text: a.note }] } : {}),
  };
}
