import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { OpenApiController } from './openapi.controller';
import { OpenApiRouteCheck } from './openapi-route-check.service';

/** GET /api/docs (the OpenAPI document generated from the contracts), /api/docs/ui, and the startup route check. */
@Module({
  imports: [DiscoveryModule],
  controllers: [OpenApiController],
  providers: [OpenApiRouteCheck],
})
export class OpenApiModule {}
