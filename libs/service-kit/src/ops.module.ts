import { DynamicModule, Module, type InjectionToken } from '@nestjs/common';
import { HealthController, READINESS_CHECKS, ShutdownState, type ReadinessCheck } from './health';
import { MetricsController } from './metrics';

/**
 * /healthz, /readyz and /metrics for every service. Readiness checks are providers
 * (classes implementing ReadinessCheck) resolved from the importing module's scope.
 */
@Module({})
export class OpsModule {
  static forRoot(checks: {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Nest factories take their injected deps untyped
    useFactory: (...deps: any[]) => ReadinessCheck[];
    inject?: InjectionToken[];
    /** The modules exporting the injected providers. */
    imports?: DynamicModule['imports'];
  }): DynamicModule {
    return {
      module: OpsModule,
      global: true,
      imports: checks.imports ?? [],
      controllers: [HealthController, MetricsController],
      providers: [
        ShutdownState,
        { provide: READINESS_CHECKS, useFactory: checks.useFactory, inject: checks.inject ?? [] },
      ],
      exports: [ShutdownState],
    };
  }
}
