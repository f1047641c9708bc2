import { Controller, Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { BillingReportQuery, PatientBillingQuery, type BillingReportResponse, type PatientBillingResponse } from '@rpm/contracts';
import { parseRequest } from '@rpm/service-kit';
import { AuditLog, sourceIpOf } from '../audit/audit-log.service';
import { CurrentUser, type AuthenticatedUser } from '../auth/authenticated-user';
import { Roles } from '../auth/roles.decorator';
import { PatientsService } from '../patients/patients.service';
import { billingCsv, billingCsvFileName } from './billing-csv';
import { BillingService } from './billing.service';

interface HeaderSink {
  setHeader(name: string, value: string): void;
}

/** A patient's billing period: for the nurses of her care team, leads and admins (audited like every /api read). */
@Controller('api/v1/patients')
export class PatientBillingController {
  constructor(
    private readonly patients: PatientsService,
    private readonly billing: BillingService,
  ) {}

  @Get(':id/billing')
  @Roles('admin', 'clinical_lead', 'nurse')
  async billingPeriod(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<PatientBillingResponse> {
    const { date } = parseRequest(PatientBillingQuery, query);
    return this.billing.patientBilling(await this.patients.getVisible(id, user), date);
  }
}

/** The monthly billing export per programme, JSON or CSV: admins and clinical leads. */
@Controller('api/v1/reports')
export class BillingReportController {
  constructor(
    private readonly billing: BillingService,
    private readonly audit: AuditLog,
  ) {}

  @Get('billing')
  @Roles('admin', 'clinical_lead')
  async report(
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() request: { ip?: string; socket?: { remoteAddress?: string } },
    @Res({ passthrough: true }) response: HeaderSink,
  ): Promise<BillingReportResponse | string> {
    const q = parseRequest(BillingReportQuery, query);
    const report = await this.billing.report(q);
    if (q.format === 'json') return report; // `items` carry patientId: the audit interceptor writes a row per patient.
    // A CSV body names no patient to the interceptor: each patient exported gets its audit row here.
    await this.audit.recordAll(
      report.items.map((item) => ({
        actor: user.sub,
        role: user.role,
        action: 'GET /api/v1/reports/billing?format=csv',
        resourceType: 'billing',
        resourceId: null,
        patientId: item.patientId,
        outcome: 200,
        sourceIp: sourceIpOf(request),
      })),
    );
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${billingCsvFileName(q.month, q.programme ?? null)}"`);
    return billingCsv(report);
  }
}
