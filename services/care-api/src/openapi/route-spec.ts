import type { z } from 'zod';
import type { Role } from '@rpm/contracts';

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A success response: a JSON body by default; another media type (event stream, HTML, text) when named. */
export type SuccessResponse =
  | z.ZodType
  | {
      readonly schema: z.ZodType;
      readonly contentType?: string;
      readonly description?: string;
    };

/** The error statuses a route documents beside 401 and 403 (added to every guarded route), each with why it happens. */
export type ErrorResponses = Readonly<Partial<Record<400 | 404 | 409 | 422 | 502 | 503, string>>>;

/**
 * One route of care-api as the document states it. Every schema is a zod schema: the contracts'
 * own where one exists, so the document says what the service parses and returns.
 */
export interface RouteSpec {
  readonly method: HttpMethod;
  /** OpenAPI template: /api/v1/patients/{id}. */
  readonly path: string;
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /** Who may call it: the route's @Roles, or 'public' for @PublicRoute. */
  readonly roles: readonly Role[] | 'public';
  /** One entry per {name} in the path. */
  readonly params?: Readonly<Record<string, z.ZodType>>;
  /** Each property is one query parameter. */
  readonly query?: z.ZodObject;
  readonly headers?: Readonly<Record<string, z.ZodType>>;
  readonly body?: z.ZodType;
  /** A body whose every field is optional may be left out. */
  readonly bodyOptional?: boolean;
  /** Exactly one 2xx status: the one Nest sends (@HttpCode, else 201 for POST and 200 otherwise). */
  readonly success: Readonly<Record<number, SuccessResponse>>;
  readonly errors?: ErrorResponses;
  /** The body of every error (401, 403 and `errors`) when it is not ApiError in JSON: FHIR routes answer an OperationOutcome. */
  readonly errorBody?: { readonly schema: z.ZodType; readonly contentType: string };
  /** Responses with a body other than ApiError (readiness: 503 with the failing checks). */
  readonly otherResponses?: Readonly<Record<number, { readonly schema: z.ZodType; readonly description: string }>>;
}

export const ANY_CARE_ROLE: readonly Role[] = ['admin', 'clinical_lead', 'nurse'];
export const LEADS: readonly Role[] = ['admin', 'clinical_lead'];
export const ADMIN: readonly Role[] = ['admin'];
/** Those who work the worklist: acknowledge, resolve, assign, snooze. */
export const WORKLIST_ACTORS: readonly Role[] = ['admin', 'nurse'];

/** Reasons shared by many routes (the 4xx body is always ApiError). */
export const INVALID_REQUEST = 'Invalid body, query or path parameter; `issues` names each field and the reason.';
export const INVALID_ID = 'The id is not a UUID (message `Validation failed (uuid is expected)`, no `issues`).';
export const NOT_VISIBLE = "Does not exist, or is outside the caller's care teams (a nurse sees only her teams' patients).";
export const TRANSITION_CONFLICT = "The alert's status does not allow this.";

/** The one 2xx status of a route. */
export function successStatusOf(route: RouteSpec): number {
  const statuses = Object.keys(route.success).map(Number);
  if (statuses.length !== 1 || !(statuses[0]! >= 200 && statuses[0]! < 300)) {
    throw new Error(`${route.method.toUpperCase()} ${route.path}: exactly one 2xx success response expected, got ${statuses.join(', ')}`);
  }
  return statuses[0]!;
}

/** "GET /api/v1/patients/{id}": how routes are named in logs and test failures. */
export const routeKey = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;
