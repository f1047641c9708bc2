import { z } from 'zod';
import { BindDeviceRequest, DeadLetterListQuery, DeadLetterListResponse, DeadLetterResponse, DeviceId, DeviceResponse, UnbindDeviceRequest } from '@rpm/contracts';
import { ADMIN, INVALID_REQUEST, type RouteSpec } from '../route-spec';

const deadLetterId = { id: z.string().regex(/^\d{1,18}$/) };

/** Devices over time (binding history) and the readings the pipeline refused or quarantined (issue 7). */
export const DEVICE_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/api/v1/devices/{id}',
    operationId: 'getDevice',
    tag: 'devices',
    summary: 'A device and its binding history (which patient it reported for, when)',
    roles: ADMIN,
    params: { id: DeviceId },
    success: { 200: DeviceResponse },
    errors: { 400: INVALID_REQUEST, 404: 'No such device.' },
  },
  {
    method: 'put',
    path: '/api/v1/devices/{id}/binding',
    operationId: 'bindDevice',
    tag: 'devices',
    summary: 'Bind the device to a patient from an instant (a loaner moving on)',
    description:
      'Ends the binding in force at `from` (default: now) and starts the new one there. A reading is attributed to the patient bound at its ' +
      '`measuredAt`, so a late batch measured before the move still lands on the patient before. The whole history is published to ' +
      '`rpm.registry.devices.v1`.',
    roles: ADMIN,
    params: { id: DeviceId },
    body: BindDeviceRequest,
    success: { 200: DeviceResponse },
    errors: {
      400: `${INVALID_REQUEST} \`from\` more than 5 minutes ahead is refused.`,
      404: 'No such device or patient.',
      409: 'Bound to this patient already, or `from` is not after the start of the binding in force (or before the end of the last one).',
    },
  },
  {
    method: 'delete',
    path: '/api/v1/devices/{id}/binding',
    operationId: 'unbindDevice',
    tag: 'devices',
    summary: 'The device came back: bound to nobody from an instant; later readings are quarantined',
    roles: ADMIN,
    params: { id: DeviceId },
    body: UnbindDeviceRequest,
    bodyOptional: true,
    success: { 200: DeviceResponse },
    errors: { 400: INVALID_REQUEST, 404: 'No such device.', 409: 'The device is bound to nobody, or `at` is not after the start of the binding in force.' },
  },
  {
    method: 'get',
    path: '/api/v1/dead-letters',
    operationId: 'listDeadLetters',
    tag: 'dead-letters',
    summary: 'Rejected and quarantined readings, newest first, with their raw payload',
    roles: ADMIN,
    query: DeadLetterListQuery,
    success: { 200: DeadLetterListResponse },
    errors: { 400: INVALID_REQUEST },
  },
  {
    method: 'get',
    path: '/api/v1/dead-letters/{id}',
    operationId: 'getDeadLetter',
    tag: 'dead-letters',
    summary: 'One dead letter',
    roles: ADMIN,
    params: deadLetterId,
    success: { 200: DeadLetterResponse },
    errors: { 400: INVALID_REQUEST, 404: 'No such dead letter.' },
  },
  {
    method: 'post',
    path: '/api/v1/dead-letters/{id}/replay',
    operationId: 'replayDeadLetter',
    tag: 'dead-letters',
    summary: 'Judge the kept message again and send its readings on, once',
    description:
      'Against the binding history as it is now and the original arrival time. Sent on only if nothing is rejected any more. The readings keep ' +
      'their natural key (device, message, code): downstream, a repeated replay stores nothing twice and raises no second alert.',
    roles: ADMIN,
    params: deadLetterId,
    success: { 200: DeadLetterResponse },
    errors: {
      400: INVALID_REQUEST,
      404: 'No such dead letter.',
      409: 'Replayed already; still rejected (the reasons); a reading rejected for its content; a secondary-sink dead letter; or a payload kept only in part.',
    },
  },
];
