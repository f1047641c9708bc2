import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, Type } from '@nestjs/common';
import { JsonLogger } from './logger';
import { ShutdownState } from './health';

export interface BootstrapOptions {
  readonly service: string;
  readonly port: number;
  readonly host?: string;
  readonly configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * Starts a service: JSON logs, shutdown hooks (SIGTERM/SIGINT finish in-flight work via
 * each provider's onApplicationShutdown), and the HTTP port for /healthz, /readyz, /metrics.
 */
export async function bootstrapService(module: Type<unknown>, options: BootstrapOptions): Promise<INestApplication> {
  const logger = new JsonLogger(options.service);
  const app = await NestFactory.create(module, { logger, bufferLogs: true });
  app.enableShutdownHooks();
  await options.configure?.(app);
  const shutdown = app.get(ShutdownState, { strict: false });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutdown.shuttingDown = true;
    });
  }
  await app.listen(options.port, options.host ?? '127.0.0.1');
  logger.log('listening', { port: options.port });
  return app;
}
