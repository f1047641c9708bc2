import { Module } from '@nestjs/common';
import { AlertBurdenRepository } from './alert-burden.repository';
import { ReportsController } from './reports.controller';

@Module({ controllers: [ReportsController], providers: [AlertBurdenRepository] })
export class ReportsModule {}
