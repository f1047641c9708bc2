import { bootstrapService } from '@rpm/service-kit';
import { AppModule } from './app.module';

bootstrapService(AppModule, { service: 'ingest-gateway', port: AppModule.config.INGEST_PORT, host: AppModule.config.HTTP_HOST }).catch((error: unknown) => {
  console.error(JSON.stringify({ level: 'error', service: 'ingest-gateway', msg: 'failed to start', error: String(error) }));
  process.exit(1);
});
