import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { parseRequest } from '@rpm/service-kit';
import { SilenceMonitor } from '../silence/silence-monitor';
import { Clock, ManualClock } from './clock';

const AdvanceRequest = z.strictObject({ ms: z.number().int().positive().max(366 * 24 * 3_600_000) });

/** Registered only with RULES_ENGINE_MANUAL_CLOCK: moves the clock and runs the AD-01 check at once. */
@Controller('test/clock')
export class TestClockController {
  constructor(
    private readonly clock: Clock,
    private readonly silence: SilenceMonitor,
  ) {}

  @Post('advance')
  @HttpCode(200)
  async advance(@Body() body: unknown): Promise<{ now: string; raised: number }> {
    const { ms } = parseRequest(AdvanceRequest, body);
    const now = (this.clock as ManualClock).advance(ms);
    const raised = await this.silence.sweep();
    return { now: now.toISOString(), raised };
  }
}
