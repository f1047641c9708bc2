import { z } from 'zod';
import {
  AddAlertNoteRequest,
  AlertListQuery,
  AlertListResponse,
  AlertResponse,
  AssignAlertRequest,
  DispositionCode,
  DispositionResponse,
  PutDispositionRequest,
  ResolveAlertRequest,
  SnoozeAlertRequest,
} from '@rpm/contracts';
import { ADMIN, ANY_CARE_ROLE, INVALID_ID, INVALID_REQUEST, NOT_VISIBLE, TRANSITION_CONFLICT, WORKLIST_ACTORS, type RouteSpec } from '../route-spec';

const alertId = { id: z.uuid() };

/** One alert's lifecycle action: POST /api/v1/alerts/{id}/<action>, answering the updated alert. */
function alertAction(action: string, operationId: string, summary: string, extra: Partial<RouteSpec> = {}): RouteSpec {
  return {
    method: 'post',
    path: `/api/v1/alerts/{id}/${action}`,
    operationId,
    tag: 'alerts',
    summary,
    roles: WORKLIST_ACTORS,
    params: alertId,
    success: { 200: { schema: AlertResponse, description: 'The updated alert.' } },
    errors: { 400: extra.body ? INVALID_REQUEST : INVALID_ID, 404: NOT_VISIBLE, 409: TRANSITION_CONFLICT },
    ...extra,
  };
}

/** The nurses' worklist: alerts, their lifecycle, the dispositions a resolution may carry. */
export const WORKLIST_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/api/v1/alerts',
    operationId: 'listAlerts',
    tag: 'alerts',
    summary: 'The worklist',
    description:
      'Nurses see alerts of patients in their care teams. Ordered most severe first (`high`, `medium`, `low`), then oldest `raisedAt`, then ' +
      '`id`. Cursor pagination: pass `nextCursor` as `cursor` with the same filters to get the next page; `nextCursor` is null on the last ' +
      'page. The cursor is opaque (keyset over the sort order), so pages stay stable while new alerts arrive.',
    roles: ANY_CARE_ROLE,
    query: AlertListQuery,
    success: { 200: AlertListResponse },
    errors: { 400: INVALID_REQUEST },
  },
  {
    method: 'get',
    path: '/api/v1/alerts/stream',
    operationId: 'followAlerts',
    tag: 'alerts',
    summary: 'Server-sent events of every alert change the user may see',
    description:
      'Each change of an alert the user may see (nurses: their care teams) is one event: `id` is its number in the stream, `event: alert`, ' +
      '`data` an `rpm.alert-event.v1` (the AlertEventV1 contract). A reconnecting screen sends the last `id` it saw as `Last-Event-ID` and ' +
      'first receives every event after it; without it, the stream starts at the next event. A `: keep-alive` comment every 15 s. The ' +
      'screen re-reads the alert by its id.',
    roles: ANY_CARE_ROLE,
    headers: { 'Last-Event-ID': z.string().regex(/^\d{1,18}$/) },
    success: { 200: { schema: z.string(), contentType: 'text/event-stream', description: 'The stream.' } },
    errors: { 400: 'Last-Event-ID is not an event number.' },
  },
  {
    method: 'get',
    path: '/api/v1/alerts/{id}',
    operationId: 'getAlert',
    tag: 'alerts',
    summary: 'One alert, with its notes',
    roles: ANY_CARE_ROLE,
    params: alertId,
    success: { 200: AlertResponse },
    errors: { 400: INVALID_ID, 404: NOT_VISIBLE },
  },
  alertAction('acknowledge', 'acknowledgeAlert', 'Acknowledge an open alert', {
    description: 'Allowed only from `open`. Publishes an `acknowledged` event to `rpm.alert-events.v1` after the database commit.',
  }),
  alertAction('resolve', 'resolveAlert', 'Resolve an alert with a disposition', {
    description:
      'Allowed from `open` or `acknowledged`. The disposition is one of the active ones (GET /api/v1/dispositions; another is a 400 ' +
      'on `disposition`). Publishes a `resolved` event after the commit. Once resolved, a new breach of the same rule opens a new alert.',
    body: ResolveAlertRequest,
  }),
  alertAction('assign', 'assignAlert', "Assign an alert to a member of the patient's care team (`me`: the caller)", {
    body: AssignAlertRequest,
    errors: {
      400: "Invalid body, or the assignee is not a member of the patient's care team (`issues[].field` `assignee`).",
      404: NOT_VISIBLE,
      409: 'The alert is resolved, or assigned to that user already.',
    },
  }),
  alertAction('unassign', 'unassignAlert', 'Take the alert off whoever has it', {
    errors: { 400: INVALID_ID, 404: NOT_VISIBLE, 409: 'The alert is resolved, or not assigned.' },
  }),
  alertAction('notes', 'addAlertNote', 'Add a note to an alert', {
    description: 'Notes are part of the record: allowed in every status, never edited.',
    body: AddAlertNoteRequest,
    success: { 201: { schema: AlertResponse, description: 'The alert with the new note.' } },
    errors: { 400: INVALID_REQUEST, 404: NOT_VISIBLE },
  }),
  alertAction('snooze', 'snoozeAlert', 'Snooze an alert for a while (at most 3 days)', {
    description:
      'Hides the alert, and further breaches of the same (patient, rule), until the snooze expires by itself. A worse value or a higher ' +
      'severity breaks through.',
    body: SnoozeAlertRequest,
    errors: { 400: INVALID_REQUEST, 404: NOT_VISIBLE, 409: 'High-severity alerts cannot be snoozed, nor resolved ones.' },
  }),
  {
    method: 'delete',
    path: '/api/v1/alerts/{id}/snooze',
    operationId: 'endAlertSnooze',
    tag: 'alerts',
    summary: "End the snooze of the alert's (patient, rule) now",
    roles: WORKLIST_ACTORS,
    params: alertId,
    success: { 200: { schema: AlertResponse, description: 'The updated alert.' } },
    errors: { 400: INVALID_ID, 404: NOT_VISIBLE, 409: 'The alert is not snoozed.' },
  },
  {
    method: 'get',
    path: '/api/v1/dispositions',
    operationId: 'listDispositions',
    tag: 'alerts',
    summary: 'Every disposition, inactive ones included (flagged): screens offer the active ones',
    roles: ANY_CARE_ROLE,
    success: { 200: z.array(DispositionResponse) },
  },
  {
    method: 'put',
    path: '/api/v1/dispositions/{code}',
    operationId: 'putDisposition',
    tag: 'alerts',
    summary: 'Add or change a disposition',
    description: 'An inactive disposition is no longer offered; resolutions that carry it keep it.',
    roles: ADMIN,
    params: { code: DispositionCode },
    body: PutDispositionRequest,
    success: { 200: DispositionResponse },
    errors: { 400: INVALID_REQUEST },
  },
];
