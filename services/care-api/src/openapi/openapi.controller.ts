import { Controller, Get, Header } from '@nestjs/common';
import { PublicRoute } from '@rpm/service-kit';
import { careApiOpenApiDocument } from './care-api.openapi';
import { renderOpenApiPage } from './openapi-page';
import type { OpenApiDocument } from './openapi-document';

/** The API's own description, open to anyone: it holds schemas, never data. */
@Controller('api/docs')
@PublicRoute()
export class OpenApiController {
  private page: string | undefined;

  @Get()
  document(): OpenApiDocument {
    return careApiOpenApiDocument();
  }

  @Get('ui')
  @Header('Content-Type', 'text/html; charset=utf-8')
  ui(): string {
    this.page ??= renderOpenApiPage(careApiOpenApiDocument());
    return this.page;
  }
}
