import { bootstrapService } from '@rpm/service-kit';
import { AppModule } from './app.module';
import { ClientHttpErrorFilter } from './http-errors/client-http-error.filter';

bootstrapService(AppModule, {
  service: 'care-api',
  port: AppModule.config.CARE_API_PORT,
  host: AppModule.config.HTTP_HOST,
  // One spelling per route: /API/v1/... is not /api/v1/... (defence in depth; the guard decides by route metadata).
  configure: (app) => {
    (app.getHttpAdapter().getInstance() as { set(setting: string, value: boolean): void }).set('case sensitive routing', true);
    // The body parser's 400/413/415 in the ApiError shape too.
    app.useGlobalFilters(new ClientHttpErrorFilter(app.getHttpAdapter()));
  },
}).catch((error: unknown) => {
  console.error(JSON.stringify({ level: 'error', service: 'care-api', msg: 'failed to start', error: String(error) }));
  process.exit(1);
});
