import { bootstrapService } from '@rpm/service-kit';
import { AppModule } from './app.module';

bootstrapService(AppModule, { service: 'vitals-store', port: AppModule.config.VITALS_STORE_PORT, host: AppModule.config.HTTP_HOST }).catch((error: unknown) => {
  console.error(JSON.stringify({ level: 'error', service: 'vitals-store', msg: 'failed to start', error: String(error) }));
  process.exit(1);
});
