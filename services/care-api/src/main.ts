import { bootstrapService } from '@rpm/service-kit';
import { AppModule } from './app.module';

bootstrapService(AppModule, { service: 'care-api', port: AppModule.config.CARE_API_PORT, host: AppModule.config.HTTP_HOST }).catch((error: unknown) => {
  console.error(JSON.stringify({ level: 'error', service: 'care-api', msg: 'failed to start', error: String(error) }));
  process.exit(1);
});
