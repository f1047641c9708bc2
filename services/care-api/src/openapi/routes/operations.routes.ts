import { z } from 'zod';
import type { RouteSpec } from '../route-spec';

// The ops shapes live in libs/service-kit as TypeScript types (health.ts); these say the same in zod.
const ReadinessChecks = z.record(z.string(), z.boolean());
const Ready = z.object({ status: z.literal('ready'), checks: ReadinessChecks });
const NotReady = z.object({ status: z.literal('not_ready'), shuttingDown: z.boolean(), checks: ReadinessChecks });

/** Liveness, readiness, metrics and this document: no token needed. */
export const OPERATIONS_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'healthz',
    tag: 'operations',
    summary: 'Liveness (the process answers)',
    roles: 'public',
    success: { 200: { schema: z.object({ status: z.literal('ok') }), description: 'Alive.' } },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readyz',
    tag: 'operations',
    summary: 'Readiness (every dependency reachable, not shutting down)',
    description: 'care-api checks `kafka`, `postgres`, `mqtt` (the dynamic-security admin connection) and `alerts-consumer`. 503 once SIGTERM/SIGINT has been received.',
    roles: 'public',
    success: { 200: { schema: Ready, description: 'Ready.' } },
    otherResponses: { 503: { schema: NotReady, description: 'Not ready: a dependency is unreachable, or the service is shutting down.' } },
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    tag: 'operations',
    summary: 'Prometheus metrics (text exposition format)',
    description: "Node.js process metrics and the service's own `rpm_*` metrics (docs/operations.md).",
    roles: 'public',
    success: { 200: { schema: z.string(), contentType: 'text/plain', description: 'Metrics.' } },
  },
  {
    method: 'get',
    path: '/api/docs',
    operationId: 'getOpenApiDocument',
    tag: 'operations',
    summary: 'This document (OpenAPI 3.1), generated from the zod contracts',
    roles: 'public',
    success: { 200: { schema: z.record(z.string(), z.unknown()), description: 'The OpenAPI document.' } },
  },
  {
    method: 'get',
    path: '/api/docs/ui',
    operationId: 'getOpenApiPage',
    tag: 'operations',
    summary: 'This document as a readable HTML page',
    roles: 'public',
    success: { 200: { schema: z.string(), contentType: 'text/html', description: 'The page.' } },
  },
];
