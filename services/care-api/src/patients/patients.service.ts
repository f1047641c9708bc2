import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, type Repository } from 'typeorm';
import type { CreatePatientRequest, PatientResponse } from '@rpm/contracts';
import { careTeamScope, type AuthenticatedUser } from '../auth/authenticated-user';
import { EventPublisher } from '../messaging/event.publisher';
import { PatientEntity } from './patient.entity';

/** Patients not given a care team join this one (and dev nurse tokens carry it). */
export const DEFAULT_CARE_TEAM = 'default';

export function toPatientResponse(p: PatientEntity): PatientResponse {
  return {
    id: p.id,
    mrn: p.mrn,
    name: p.name,
    timezone: p.timezone,
    programs: p.programs,
    spo2Scale: p.spo2Scale,
    careTeamId: p.careTeamId,
    createdAt: p.createdAt.toISOString(),
  };
}

@Injectable()
export class PatientsService {
  constructor(
    @InjectRepository(PatientEntity) private readonly patients: Repository<PatientEntity>,
    private readonly events: EventPublisher,
  ) {}

  /**
   * Stores the patient and publishes its protocol in one transaction: the rules engine
   * knows every stored patient before any of its readings can arrive.
   */
  async create(request: CreatePatientRequest): Promise<PatientEntity> {
    const programs = [...new Set(request.programs)];
    const patient = this.patients.create({
      id: randomUUID(),
      mrn: request.mrn,
      name: request.name,
      timezone: request.timezone,
      programs,
      spo2Scale: request.spo2Scale ?? (programs.includes('copd') ? 2 : 1),
      careTeamId: request.careTeamId ?? DEFAULT_CARE_TEAM,
      protocolVersion: 1,
    });
    return this.patients.manager.transaction(async (tx) => {
      try {
        await tx.insert(PatientEntity, patient);
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw new ConflictException('a patient with this mrn exists');
        throw error;
      }
      const saved = await tx.findOneByOrFail(PatientEntity, { id: patient.id });
      await this.events.publishProtocol({
        schema: 'rpm.patient-protocol.v1',
        patientId: saved.id,
        programs: saved.programs,
        spo2Scale: saved.spo2Scale,
        timezone: saved.timezone,
        version: saved.protocolVersion,
        updatedAt: saved.createdAt.toISOString(),
      });
      return saved;
    });
  }

  /** The patient if it exists and the user may see it; 404 otherwise (no existence leak). */
  async getVisible(id: string, user: AuthenticatedUser): Promise<PatientEntity> {
    const scope = careTeamScope(user);
    const patient = await this.patients.findOneBy(scope ? { id, careTeamId: In([...scope]) } : { id });
    if (!patient) throw new NotFoundException(`no patient ${id}`);
    return patient;
  }
}
