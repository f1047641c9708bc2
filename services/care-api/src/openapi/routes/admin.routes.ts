import { z } from 'zod';
import { AuditListResponse, AuditQuery, CareTeamId, CareTeamResponse, MeResponse, PutCareTeamRequest } from '@rpm/contracts';
import { ADMIN, ANY_CARE_ROLE, INVALID_REQUEST, type RouteSpec } from '../route-spec';

const teamMember = { id: CareTeamId, userId: z.string().trim().min(1).max(200) };

/** Care teams and their members, the audit trail, and who the caller is. */
export const ADMIN_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/api/v1/care-teams',
    operationId: 'listCareTeams',
    tag: 'care-teams',
    summary: 'Care teams with their members and escalation contact',
    roles: ADMIN,
    success: { 200: z.array(CareTeamResponse) },
  },
  {
    method: 'put',
    path: '/api/v1/care-teams/{id}',
    operationId: 'putCareTeam',
    tag: 'care-teams',
    summary: 'Create or rename a care team, and set its escalation contact',
    roles: ADMIN,
    params: { id: CareTeamId },
    body: PutCareTeamRequest,
    success: { 200: CareTeamResponse },
    errors: { 400: INVALID_REQUEST },
  },
  {
    method: 'put',
    path: '/api/v1/care-teams/{id}/members/{userId}',
    operationId: 'addCareTeamMember',
    tag: 'care-teams',
    summary: 'Add a user to a care team',
    roles: ADMIN,
    params: teamMember,
    success: { 200: CareTeamResponse },
    errors: { 400: INVALID_REQUEST, 404: 'No such care team.' },
  },
  {
    method: 'delete',
    path: '/api/v1/care-teams/{id}/members/{userId}',
    operationId: 'removeCareTeamMember',
    tag: 'care-teams',
    summary: 'Remove a user from a care team',
    roles: ADMIN,
    params: teamMember,
    success: { 200: CareTeamResponse },
    errors: { 400: INVALID_REQUEST, 404: 'The user is not a member of the care team.' },
  },
  {
    method: 'get',
    path: '/api/v1/audit',
    operationId: 'listAuditEntries',
    tag: 'audit',
    summary: 'The audit trail, newest first',
    description: 'One row per /api request that reached a guarded route, allowed or refused. Page with `before`: the id of the last entry of the previous page.',
    roles: ADMIN,
    query: AuditQuery,
    success: { 200: AuditListResponse },
    errors: { 400: INVALID_REQUEST },
  },
  {
    method: 'get',
    path: '/api/v1/me',
    operationId: 'getMe',
    tag: 'auth',
    summary: 'Who the caller is: user id, role, care teams (null: every patient)',
    roles: ANY_CARE_ROLE,
    success: { 200: MeResponse },
  },
];
