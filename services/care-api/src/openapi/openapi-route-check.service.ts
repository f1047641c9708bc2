import { Injectable, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { JsonLogger } from '@rpm/service-kit';
import { CARE_API_ROUTES, careApiOpenApiDocument } from './care-api.openapi';
import { compareRoutes, registeredRoutesOf } from './route-check';
import { routeKey } from './route-spec';

export const ROUTE_CHECK_MESSAGE = 'openapi route check';

/**
 * At startup, holds the route table to what the controllers serve: a route served but not in
 * the document, documented but not served, or with other roles or another success status is
 * logged as an error with the registered routes (the integration test reads that line and
 * fails on any disagreement). It does not stop the service: a gap in the document is a defect
 * of the document, not a reason to refuse patients' data.
 */
@Injectable()
export class OpenApiRouteCheck implements OnApplicationBootstrap {
  private readonly log = new JsonLogger('care-api');

  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    // Built now rather than on the first request: a table that contradicts itself fails the start.
    careApiOpenApiDocument();
    const controllers = this.discovery
      .getControllers()
      .map((wrapper) => wrapper.metatype)
      .filter((metatype): metatype is Type => typeof metatype === 'function');
    const registered = registeredRoutesOf(controllers);
    const disagreements = compareRoutes(CARE_API_ROUTES, registered);
    const agree = Object.values(disagreements).every((list) => list.length === 0);
    const line = { registered: registered.map((r) => routeKey(r.method, r.path)).sort(), ...disagreements };
    if (agree) this.log.info(ROUTE_CHECK_MESSAGE, line);
    else this.log.error(ROUTE_CHECK_MESSAGE, { ...line, hint: 'services/care-api/src/openapi/routes/ and the controllers disagree' });
  }
}
