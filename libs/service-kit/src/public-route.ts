import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'rpm:public-route';
/**
 * Marks a controller or handler as open to anyone (liveness, readiness, metrics). Guards
 * decide by this metadata, never by the request path: paths can be spelled many ways.
 */
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);
