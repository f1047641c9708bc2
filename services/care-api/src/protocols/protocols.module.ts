import { Module } from '@nestjs/common';
import { VitalsStoreClient } from '../observations/vitals-store.client';
import { BacktestsService } from './backtests.service';
import { ProtocolVersionsService } from './protocol-versions.service';
import { BacktestsController, ProtocolsController } from './protocols.controller';

@Module({
  controllers: [ProtocolsController, BacktestsController],
  providers: [ProtocolVersionsService, BacktestsService, VitalsStoreClient],
  exports: [ProtocolVersionsService, BacktestsService],
})
export class ProtocolsModule {}
