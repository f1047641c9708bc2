import { Global, Module } from '@nestjs/common';
import { DispositionsController } from './dispositions.controller';
import { DispositionsService } from './dispositions.service';

@Global()
@Module({ controllers: [DispositionsController], providers: [DispositionsService], exports: [DispositionsService] })
export class DispositionsModule {}
