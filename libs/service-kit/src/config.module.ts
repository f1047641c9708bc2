import { DynamicModule, Module } from '@nestjs/common';

/** Makes a service's parsed, frozen config injectable everywhere under `token`. */
@Module({})
export class ConfigModule {
  static forValue(token: symbol, value: unknown): DynamicModule {
    return { module: ConfigModule, global: true, providers: [{ provide: token, useValue: value }], exports: [token] };
  }
}
