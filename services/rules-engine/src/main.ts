import { bootstrapService } from '@rpm/service-kit';
import { AppModule } from './app.module';

bootstrapService(AppModule, { service: 'rules-engine', port: AppModule.config.RULES_ENGINE_PORT, host: AppModule.config.HTTP_HOST }).catch((error: unknown) => {
  console.error(JSON.stringify({ level: 'error', service: 'rules-engine', msg: 'failed to start', error: String(error) }));
  process.exit(1);
});
