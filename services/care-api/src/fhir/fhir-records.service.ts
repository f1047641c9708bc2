import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type FindOptionsWhere, type Repository } from 'typeorm';
import { AlertEntity } from '../alerts/alert.entity';
import { AlertEvidenceEntity } from '../alerts/alert-evidence.entity';
import { careTeamScope, type AuthenticatedUser } from '../auth/authenticated-user';
import { DeviceEntity } from '../devices/device.entity';
import { PatientEntity } from '../patients/patient.entity';
import { deviceLookupOf, isUuid, observationFhirId } from './fhir-ids';

export interface Page<T> {
  readonly items: T[];
  readonly total: number;
}

export interface AlertSearch {
  readonly patientId?: string;
  /** Worklist states to keep (from the FHIR status searched), ORed; all when absent. `assigned` narrows open ones. */
  readonly states?: readonly { readonly status: AlertEntity['status']; readonly assigned?: boolean }[];
  readonly offset: number;
  readonly count: number;
}

/**
 * Patients, devices and alerts for the FHIR API, within the caller's care teams: an id outside them
 * is not found, exactly as in /api/v1. The only I/O of the FHIR module besides the vitals store.
 */
@Injectable()
export class FhirRecordsService {
  constructor(
    @InjectRepository(PatientEntity) private readonly patients: Repository<PatientEntity>,
    @InjectRepository(DeviceEntity) private readonly devices: Repository<DeviceEntity>,
    @InjectRepository(AlertEntity) private readonly alerts: Repository<AlertEntity>,
    @InjectRepository(AlertEvidenceEntity) private readonly evidence: Repository<AlertEvidenceEntity>,
  ) {}

  private patientScope(user: AuthenticatedUser): FindOptionsWhere<PatientEntity> {
    const scope = careTeamScope(user);
    return scope ? { careTeamId: In([...scope]) } : {};
  }

  /** The patient if the user may see it; 404 otherwise (no existence leak). */
  async visiblePatient(id: string, user: AuthenticatedUser): Promise<PatientEntity> {
    const patient = isUuid(id) ? await this.patients.findOneBy({ id, ...this.patientScope(user) }) : null;
    if (!patient) throw new NotFoundException(`Patient/${id} is not known`);
    return patient;
  }

  async searchPatients(user: AuthenticatedUser, filter: { id?: string; mrn?: string; name?: string }, offset: number, count: number): Promise<Page<PatientEntity>> {
    if (filter.id !== undefined && !isUuid(filter.id)) return { items: [], total: 0 };
    const qb = this.patients.createQueryBuilder('p').orderBy('p.createdAt', 'ASC').addOrderBy('p.id', 'ASC').offset(offset).limit(count);
    const scope = careTeamScope(user);
    if (scope) qb.andWhere('p.care_team_id = ANY(:teams)', { teams: [...scope] });
    if (filter.id) qb.andWhere('p.id = :id', { id: filter.id });
    if (filter.mrn) qb.andWhere('p.mrn = :mrn', { mrn: filter.mrn });
    // FHIR's string search: case-insensitive, from the start of a word of the name.
    if (filter.name) qb.andWhere(`p.name ~* :name`, { name: `(^|\\s)${filter.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` });
    const [items, total] = await qb.getManyAndCount();
    return { items, total };
  }

  async visibleDevice(fhirId: string, user: AuthenticatedUser): Promise<DeviceEntity> {
    const lookup = deviceLookupOf(fhirId);
    const qb = this.devices.createQueryBuilder('d').innerJoin(PatientEntity, 'p', 'p.id = d.patient_id');
    if ('deviceId' in lookup) qb.where('d.device_id = :deviceId', lookup);
    else qb.where(`left(encode(sha256(convert_to(d.device_id, 'UTF8')), 'hex'), 40) = :hash`, { hash: lookup.sha256Prefix });
    const scope = careTeamScope(user);
    if (scope) qb.andWhere('p.care_team_id = ANY(:teams)', { teams: [...scope] });
    const device = await qb.getOne();
    if (!device) throw new NotFoundException(`Device/${fhirId} is not known`);
    return device;
  }

  async searchDevices(user: AuthenticatedUser, patientId: string | undefined, offset: number, count: number): Promise<Page<DeviceEntity>> {
    if (patientId !== undefined && !isUuid(patientId)) return { items: [], total: 0 };
    const qb = this.devices
      .createQueryBuilder('d')
      .innerJoin(PatientEntity, 'p', 'p.id = d.patient_id')
      .orderBy('d.createdAt', 'ASC')
      .addOrderBy('d.deviceId', 'ASC')
      .offset(offset)
      .limit(count);
    const scope = careTeamScope(user);
    if (scope) qb.andWhere('p.care_team_id = ANY(:teams)', { teams: [...scope] });
    if (patientId) qb.andWhere('d.patient_id = :patientId', { patientId });
    const [items, total] = await qb.getManyAndCount();
    return { items, total };
  }

  async visibleAlert(id: string, user: AuthenticatedUser, resourceType: string): Promise<AlertEntity> {
    const alert = isUuid(id) ? await this.alertQuery(user).andWhere('a.id = :id', { id }).getOne() : null;
    if (!alert) throw new NotFoundException(`${resourceType}/${id} is not known`);
    return alert;
  }

  /** Alerts, oldest raised first (a stable order for offset paging while new ones arrive at the end). */
  async searchAlerts(user: AuthenticatedUser, search: AlertSearch): Promise<Page<AlertEntity>> {
    if (search.patientId !== undefined && !isUuid(search.patientId)) return { items: [], total: 0 };
    const qb = this.alertQuery(user).orderBy('a.raisedAt', 'ASC').addOrderBy('a.id', 'ASC').offset(search.offset).limit(search.count);
    if (search.patientId) qb.andWhere('a.patient_id = :patientId', { patientId: search.patientId });
    if (search.states) {
      const clauses = search.states.map((state, i) => {
        const assigned = state.assigned === undefined ? '' : ` AND a.assigned_to IS ${state.assigned ? 'NOT ' : ''}NULL`;
        return `(a.status = :status${i}${assigned})`;
      });
      const params = Object.fromEntries(search.states.map((state, i) => [`status${i}`, state.status]));
      qb.andWhere(clauses.length > 0 ? `(${clauses.join(' OR ')})` : 'FALSE', params);
    }
    const [items, total] = await qb.getManyAndCount();
    return { items, total };
  }

  private alertQuery(user: AuthenticatedUser) {
    const qb = this.alerts.createQueryBuilder('a').innerJoin(PatientEntity, 'p', 'p.id = a.patient_id').where('TRUE');
    const scope = careTeamScope(user);
    if (scope) qb.andWhere('p.care_team_id = ANY(:teams)', { teams: [...scope] });
    return qb;
  }

  /** The FHIR ids of the readings behind each alert (its evidence), in measurement order. */
  async evidenceObservationIds(alerts: readonly AlertEntity[]): Promise<Map<string, string[]>> {
    const byAlert = new Map<string, string[]>(alerts.map((a) => [a.id, []]));
    if (alerts.length === 0) return byAlert;
    const patientOf = new Map(alerts.map((a) => [a.id, a.patientId]));
    const rows = await this.evidence.find({ where: { alertId: In(alerts.map((a) => a.id)) }, order: { measuredAt: 'ASC', component: 'ASC' } });
    for (const row of rows) {
      const id = observationFhirId(patientOf.get(row.alertId)!, row.measuredAt.toISOString(), row.observationId);
      const ids = byAlert.get(row.alertId)!;
      if (!ids.includes(id)) ids.push(id);
    }
    return byAlert;
  }

  /** Every rule firing whose evidence names one of these readings of the patient (for Observation.interpretation). */
  async firingsOn(patientId: string, pipelineIds: readonly string[]) {
    if (pipelineIds.length === 0) return [];
    return this.evidence
      .createQueryBuilder('e')
      .innerJoin(AlertEntity, 'a', 'a.id = e.alert_id')
      .select(['e.observation_id AS "observationId"', 'e.code AS code', 'e.value AS value', 'e.measured_at AS "measuredAt"'])
      .addSelect(['a.rule_id AS "ruleId"', 'a.severity AS severity', 'a.measured_at AS "alertMeasuredAt"', 'a.explanation AS explanation'])
      .where('a.patient_id = :patientId', { patientId })
      .andWhere('e.observation_id IN (:...ids)', { ids: [...pipelineIds] })
      .getRawMany<{
        observationId: string;
        code: string;
        value: number;
        measuredAt: Date;
        ruleId: string;
        severity: AlertEntity['severity'];
        alertMeasuredAt: Date;
        explanation: AlertEntity['explanation'];
      }>();
  }
}
