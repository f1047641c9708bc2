import { PublicRoute } from './public-route';
import { Controller, Get, HttpCode, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';

/** A dependency the service cannot work without: a broker, the database. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<boolean>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@Injectable()
export class ShutdownState {
  shuttingDown = false;
}

@Controller()
@PublicRoute()
export class HealthController {
  constructor(
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    private readonly shutdown: ShutdownState,
  ) {}

  /** Liveness: the process answers. */
  @Get('healthz')
  @HttpCode(200)
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: every broker and database this service needs is reachable. */
  @Get('readyz')
  async readyz(): Promise<{ status: 'ready'; checks: Record<string, boolean> }> {
    const results = await Promise.all(
      this.checks.map(async (c) => [c.name, await c.check().catch(() => false)] as const),
    );
    const checks = Object.fromEntries(results);
    if (this.shutdown.shuttingDown || results.some(([, ok]) => !ok)) {
      throw new HttpException({ status: 'not_ready', shuttingDown: this.shutdown.shuttingDown, checks }, HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { status: 'ready', checks };
  }
}
