import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { join } from 'node:path';
import { workspaceRoot } from '@rpm/service-kit';
import { WEB_ROOT, WebStaticMiddleware } from './web-static.middleware';

/**
 * The nurses' UI at / (built by `npm run web:build` into dist/care-web): static files, and
 * index.html for every page path that is not the API's or operations'.
 */
@Module({
  providers: [{ provide: WEB_ROOT, useFactory: () => join(workspaceRoot(), 'dist', 'care-web') }, WebStaticMiddleware],
})
export class WebModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(WebStaticMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
