import { Module } from '@nestjs/common';
import { ProtocolVersionsService } from './protocol-versions.service';
import { ProtocolsController } from './protocols.controller';

@Module({ controllers: [ProtocolsController], providers: [ProtocolVersionsService], exports: [ProtocolVersionsService] })
export class ProtocolsModule {}
