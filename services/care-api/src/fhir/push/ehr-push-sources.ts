import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import type { AlertEventV1, ObservationV1, StoredObservation } from '@rpm/contracts';
import { AlertEvidenceEntity } from '../../alerts/alert-evidence.entity';
import { AlertEntity } from '../../alerts/alert.entity';
import { DeviceEntity } from '../../devices/device.entity';
import { PatientEntity } from '../../patients/patient.entity';
import { observationFhirId } from '../fhir-ids';
import { FhirObservationsService } from '../fhir-observations.service';
import { readingsOf, toFhirObservation } from '../observation-mapping';
import { toFhirDevice, toFhirPatient } from '../registry-mapping';
import { toFhirFlag, toFhirTask } from '../worklist-mapping';
import { alertPushEntries, observationPushEntries } from './push-entries';
import { transactionBundle, type TransactionBundle } from './transaction-bundle';

/** What a Bundle is built from is not there (yet): worth another try, dead-lettered as source_unavailable after the last. */
export class SourceUnavailableError extends Error {}

/**
 * The record is not this deployment's: an alert event whose alert is not in this worklist (the outbox
 * publishes an event only after its alert is committed, so it never comes first), or a reading of a
 * patient this registry does not know. Skipped and counted, as the worklist skips such alerts.
 */
export class ForeignRecordError extends Error {}

/**
 * Builds the Bundles of the EHR push from the current state (the worklist, the registry, the vitals
 * store) through the FHIR API's own mappers: what is pushed is what GET /fhir/R4 answers.
 */
@Injectable()
export class EhrPushSources {
  constructor(
    @InjectRepository(PatientEntity) private readonly patients: Repository<PatientEntity>,
    @InjectRepository(DeviceEntity) private readonly devices: Repository<DeviceEntity>,
    @InjectRepository(AlertEntity) private readonly alerts: Repository<AlertEntity>,
    @InjectRepository(AlertEvidenceEntity) private readonly evidence: Repository<AlertEvidenceEntity>,
    private readonly observations: FhirObservationsService,
  ) {}

  private async patient(id: string): Promise<PatientEntity> {
    const patient = await this.patients.findOneBy({ id });
    if (!patient) throw new ForeignRecordError('the patient is not in the registry');
    return patient;
  }

  private async devicesOf(deviceIds: readonly string[]) {
    const ids = [...new Set(deviceIds)];
    return ids.length === 0 ? [] : (await this.devices.findBy({ deviceId: In(ids) })).map(toFhirDevice);
  }

  /** The alert as it is now: Flag, Task, and every reading in its evidence. */
  async alertBundle(event: AlertEventV1): Promise<TransactionBundle> {
    const alert = await this.alerts.findOneBy({ id: event.alertId });
    if (!alert) throw new ForeignRecordError('the alert is not in the worklist');
    const patient = await this.patient(alert.patientId);
    const rows = await this.evidence.find({ where: { alertId: alert.id }, order: { measuredAt: 'ASC', component: 'ASC' } });
    const keys = [...new Map(rows.map((r) => [r.observationId, { pipelineId: r.observationId, measuredAt: r.measuredAt.toISOString() }])).values()];
    const { found, missing, deviceIds } = await this.observations.byNaturalKeys(alert.patientId, keys);
    if (missing.length > 0) throw new SourceUnavailableError(`${missing.length} of the alert's ${keys.length} readings are not in the vitals store`);
    const observationIds = keys.map((k) => observationFhirId(alert.patientId, k.measuredAt, k.pipelineId));
    return transactionBundle(
      alertPushEntries({
        patient: toFhirPatient(patient),
        devices: await this.devicesOf(deviceIds),
        observations: found,
        flag: toFhirFlag(alert, observationIds),
        task: toFhirTask(alert, observationIds),
        raised: event.type === 'raised',
      }),
    );
  }

  /** A reading as it arrived (EHR_PUSH_OBSERVATIONS=all): no interpretation yet, the rules engine judges it after. */
  async observationBundle(o: ObservationV1): Promise<TransactionBundle> {
    const patient = await this.patient(o.patientId);
    const rows: StoredObservation[] = o.components.map((c) => ({
      code: c.code,
      value: c.value,
      unit: c.unit,
      measuredAt: o.measuredAt,
      deviceId: o.deviceId,
      originalValue: c.originalValue,
      originalUnit: c.originalUnit,
      messageId: o.messageId,
      panelCode: o.code,
    }));
    const reading = readingsOf(o.patientId, rows)[0];
    if (!reading) throw new Error(`observation type ${o.type} has no FHIR mapping`);
    return transactionBundle(
      observationPushEntries({ patient: toFhirPatient(patient), devices: await this.devicesOf([o.deviceId]), observations: [toFhirObservation(reading, new Map())] }),
    );
  }
}
