import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { JsonLogger } from '@rpm/service-kit';
import { createKafka, type KafkaSettings } from './client';
import { kafkaReachable } from './admin';

export const KAFKA = Symbol('KAFKA');

@Injectable()
export class KafkaReadiness {
  readonly name = 'kafka';
  constructor(@Inject(KAFKA) private readonly kafka: Kafka) {}
  check(): Promise<boolean> {
    return kafkaReachable(this.kafka);
  }
}

/** Registers everything a service started on Kafka so shutdown can stop it in order. */
@Injectable()
export class KafkaLifecycle implements OnApplicationShutdown {
  private readonly stoppers: (() => Promise<void>)[] = [];

  onStop(stop: () => Promise<void>): void {
    this.stoppers.push(stop);
  }

  async onApplicationShutdown(): Promise<void> {
    // Consumers first (they may still produce), producers last: reverse of registration.
    for (const stop of this.stoppers.reverse()) await stop().catch(() => undefined);
  }
}

/** The Kafka client of a Nest service, plus its readiness check. */
@Global()
@Module({})
export class KafkaModule {
  static forRoot(settings: KafkaSettings): DynamicModule {
    return {
      module: KafkaModule,
      providers: [
        { provide: KAFKA, useFactory: () => createKafka(settings, new JsonLogger(settings.clientId)) },
        KafkaReadiness,
        KafkaLifecycle,
      ],
      exports: [KAFKA, KafkaReadiness, KafkaLifecycle],
    };
  }
}
