import { BadRequestException, Controller, Get, Header, Param, Query, Req, UseFilters } from '@nestjs/common';
import { CurrentUser, type AuthenticatedUser } from '../auth/authenticated-user';
import { Roles } from '../auth/roles.decorator';
import type { AlertSearch } from './fhir-records.service';
import { FhirRecordsService } from './fhir-records.service';
import { FhirObservationsService, decodeCursor, encodeCursor } from './fhir-observations.service';
import { patientIdOfReference } from './fhir-ids';
import { FhirIdPipe } from './fhir-id.pipe';
import { codesOf, countOf, dateRangeOf, firstOf, offsetOf, searchParamsOf, searchsetBundle, searchUrl, valuesOf, type RawQuery } from './fhir-search';
import { FHIR_JSON_UTF8, type Bundle, type BundleLink, type FhirResource } from './fhir-types';
import { OperationOutcomeFilter } from './operation-outcome.filter';
import { toFhirDevice, toFhirPatient } from './registry-mapping';
import { toFhirFlag, toFhirTask } from './worklist-mapping';

export interface FhirRequest {
  protocol: string;
  originalUrl: string;
  get(header: string): string | undefined;
}

/** This server's FHIR base as the client reached it (links and fullUrls are absolute, as FHIR asks). */
export const fhirBaseOf = (request: FhirRequest): string => `${request.protocol}://${request.get('host') ?? '127.0.0.1'}/fhir/R4`;

const FLAG_STATES: Readonly<Record<string, AlertSearch['states']>> = {
  active: [{ status: 'open' }, { status: 'acknowledged' }],
  inactive: [{ status: 'resolved' }],
};
const TASK_STATES: Readonly<Record<string, NonNullable<AlertSearch['states']>[number]>> = {
  requested: { status: 'open', assigned: false },
  ready: { status: 'open', assigned: true },
  'in-progress': { status: 'acknowledged' },
  completed: { status: 'resolved' },
};

/**
 * Read-only FHIR R4 (docs/fhir.md): read and search of Patient, Device, Observation, Flag and Task,
 * behind the same guard, care-team scope and audit as /api/v1; errors as OperationOutcome.
 */
@Controller('fhir/R4')
@UseFilters(OperationOutcomeFilter)
@Roles('admin', 'clinical_lead', 'nurse')
export class FhirController {
  constructor(
    private readonly records: FhirRecordsService,
    private readonly observations: FhirObservationsService,
  ) {}

  @Get('Patient')
  @Header('Content-Type', FHIR_JSON_UTF8)
  async searchPatients(@Query() query: RawQuery, @Req() request: FhirRequest, @CurrentUser() user: AuthenticatedUser): Promise<Bundle> {
    const identifier = firstOf(query, 'identifier');
    const filter = { id: firstOf(query, '_id'), mrn: identifier?.slice(identifier.lastIndexOf('|') + 1), name: firstOf(query, 'name') };
    const { offset, count } = { offset: offsetOf(query), count: countOf(query) };
    const page = await this.records.searchPatients(user, filter, offset, count);
    return this.offsetBundle(request, 'Patient', query, page.items.map(toFhirPatient), page.total, offset, count);
  }

  @Get('Patient/:id')
  @Header('Content-Type', FHIR_JSON_UTF8)
  async readPatient(@Param('id', FhirIdPipe) id: string, @CurrentUser() user: AuthenticatedUser): Promise<FhirResource> {
    return toFhirPatient(await this.records.visiblePatient(id, user));
  }

  @Get('Device')
  @Header('Content-Type', FHIR_JSON_UTF8)
  async searchDevices(@Query() query: RawQuery, @Req() request: FhirRequest, @CurrentUser() user: AuthenticatedUser): Promise<Bundle> {
    const patientId = await this.patientSearched(query, user, false);
    const { offset, count } = { offset: offsetOf(query), count: countOf(query) };
    const page = await this.records.searchDevices(user, patientId, offset, count);
    return this.offsetBundle(request, 'Device', query, page.items.map(toFhirDevice), page.total, offset, count);
  }

  @Get('Device/:id')
  @Header('Content-Type', FHIR_JSON_UTF8)
  async readDevice(@Param('id', FhirIdPipe) id: string, @CurrentUser() user: AuthenticatedUser): Promise<FhirResource> {
    return toFhirDevice(await this.records.visibleDevice(id, user));
  }

  /** Needs `patient`: the time series is kept per patient (docs/fhir.md, "Observation search needs a patient"). */
  @Get('Observation')
  @Header('Content-Type', FHIR_JSON_UTF8)
  async searchObservations(@Query() query: RawQuery, @Req() request: FhirRequest, @CurrentUser() user: AuthenticatedUser): Promise<Bundle> {
    const patientId = (await this.patientSearched(query, user, true))!;
    const cursorParam = firstOf(query, '_cursor');
    const count = countOf(query);
    const result = await this.observations.search({
      patientId,
      codes: codesOf(query),
      range: dateRangeOf(valuesOf(query, 'date')),
      cursor: cursorParam ? decodeCursor(cursorParam) : null,
      count,
    });
    const base = fhirBaseOf(request);
    const links: BundleLink[] = [{ relation: 'self', url: `${base}${request.originalUrl.slice(request.originalUrl.indexOf('/Observation'))}` }];
    if (result.next) {
      const params = searchParamsOf(query);
      params.set('_count', String(count));
      params.set('_cursor', encodeCursor(result.next));
      links.push({ relation: 'next', url: searchUrl(base, 'Observation', params) });
    }
    return searchsetBundle(base, result.resources, links);
  }

  @Get('Observation/:id')
  @Header('Content-Type', FHIR_JSON_UTF8)
  readObservation(@Param('id', FhirIdPipe) id: string, @CurrentUser() user: AuthenticatedUser): Promise<FhirResource> {
    return this.observations.read(id, user);
  }

  @Get('Flag')
  @Header('Content-Type', FHIR_JSON_UTF8)
  async searchFlags(@Query() query: RawQuery, @Req() request: FhirRequest, @CurrentUser() user: AuthenticatedUser): Promise<Bundle> {
    const status = firstOf(query, 'status');
    if (status !== undefined && !FLAG_STATES[status]) throw new BadRequestException('status must be active or inactive');
    return this.alertBundle(request, 'Flag', query, user, status ? FLAG_STATES[status] : undefined);
  }

  @Get('Flag/:id')
  @Header('Content-Type', FHIR_JSON_UTF8)
  async readFlag(@Param('id', FhirIdPipe) id: string, @CurrentUser() user: AuthenticatedUser): Promise<FhirResource> {
    const alert = await this.records.visibleAlert(id, user, 'Flag');
    return toFhirFlag(alert, (await this.records.evidenceObservationIds([alert])).get(alert.id) ?? []);
  }

  @Get('Task')
  @Header('Content-Type', FHIR_JSON_UTF8)
  async searchTasks(@Query() query: RawQuery, @Req() request: FhirRequest, @CurrentUser() user: AuthenticatedUser): Promise<Bundle> {
    const statuses = valuesOf(query, 'status').flatMap((v) => v.split(','));
    const unknown = statuses.filter((s) => !TASK_STATES[s]);
    if (unknown.length > 0) throw new BadRequestException(`status ${unknown.join(', ')} is not one of ${Object.keys(TASK_STATES).join(', ')}`);
    return this.alertBundle(request, 'Task', query, user, statuses.length > 0 ? statuses.map((s) => TASK_STATES[s]!) : undefined);
  }

  @Get('Task/:id')
  @Header('Content-Type', FHIR_JSON_UTF8)
  async readTask(@Param('id', FhirIdPipe) id: string, @CurrentUser() user: AuthenticatedUser): Promise<FhirResource> {
    const alert = await this.records.visibleAlert(id, user, 'Task');
    return toFhirTask(alert, (await this.records.evidenceObservationIds([alert])).get(alert.id) ?? []);
  }

  /** The `patient` (or `subject`) searched, checked against the caller's care teams: another team's patient is a 404. */
  private async patientSearched(query: RawQuery, user: AuthenticatedUser, required: boolean): Promise<string | undefined> {
    const raw = firstOf(query, 'patient') ?? firstOf(query, 'subject');
    if (raw === undefined) {
      if (required) throw new BadRequestException('patient is required: the time series is kept per patient (patient=Patient/{id})');
      return undefined;
    }
    return (await this.records.visiblePatient(patientIdOfReference(raw), user)).id;
  }

  private async alertBundle(request: FhirRequest, type: 'Flag' | 'Task', query: RawQuery, user: AuthenticatedUser, states: AlertSearch['states']): Promise<Bundle> {
    const patientId = await this.patientSearched(query, user, false);
    const { offset, count } = { offset: offsetOf(query), count: countOf(query) };
    const page = await this.records.searchAlerts(user, { patientId, states, offset, count });
    const evidence = await this.records.evidenceObservationIds(page.items);
    const map = type === 'Flag' ? toFhirFlag : toFhirTask;
    return this.offsetBundle(request, type, query, page.items.map((a) => map(a, evidence.get(a.id) ?? [])), page.total, offset, count);
  }

  private offsetBundle(request: FhirRequest, type: string, query: RawQuery, resources: FhirResource[], total: number, offset: number, count: number): Bundle {
    const base = fhirBaseOf(request);
    const link = (at: number): string => {
      const params = searchParamsOf(query);
      params.set('_count', String(count));
      if (at > 0) params.set('_offset', String(at));
      return searchUrl(base, type, params);
    };
    const links: BundleLink[] = [{ relation: 'self', url: link(offset) }];
    if (offset + resources.length < total) links.push({ relation: 'next', url: link(offset + count) });
    if (offset > 0) links.push({ relation: 'previous', url: link(Math.max(0, offset - count)) });
    return searchsetBundle(base, resources, links, total);
  }
}
