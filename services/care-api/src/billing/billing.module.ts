import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AlertsModule } from '../alerts/alerts.module';
import { AuditEntry } from '../audit/audit-entry.entity';
import { AuditLog } from '../audit/audit-log.service';
import { PatientEntity } from '../patients/patient.entity';
import { PatientsModule } from '../patients/patients.module';
import { BillingAdherenceTask } from './billing-adherence.task';
import { BillingReportController, PatientBillingController } from './billing.controller';
import { BillingService } from './billing.service';
import { ReadingDaysClient } from './reading-days.client';

/** RPM billing support (issue 9, section 3): data days per 30-day period, the monthly export, AD-03. */
@Module({
  imports: [TypeOrmModule.forFeature([PatientEntity, AuditEntry]), PatientsModule, AlertsModule],
  controllers: [PatientBillingController, BillingReportController],
  providers: [BillingService, ReadingDaysClient, BillingAdherenceTask, AuditLog],
})
export class BillingModule {}
