import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, type Repository } from 'typeorm';
import type {
  CreatePatientRequest,
  EffectiveProtocolResponse,
  PatientProtocolV1,
  PatientProtocolVersionResponse,
  PatientResponse,
  ProtocolOverrideInput,
  SetProtocolOverridesRequest,
} from '@rpm/contracts';
import { defaultSpo2Scale, resolveProtocol, validateOverrides, type ProgrammeVersions } from '@rpm/clinical-rules';
import { ProtocolVersionsService } from '../protocols/protocol-versions.service';
import { diffSettings, refused, sameSetting, settingInput } from '../protocols/protocol-settings';
import { PatientProtocolVersionEntity } from './patient-protocol-version.entity';
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

function protocolRecord(p: PatientEntity, updatedAt: Date): PatientProtocolV1 {
  return {
    schema: 'rpm.patient-protocol.v1',
    patientId: p.id,
    programs: p.programs,
    spo2Scale: p.spo2Scale,
    timezone: p.timezone,
    version: p.protocolVersion,
    updatedAt: updatedAt.toISOString(),
    overrides: p.protocolOverrides,
  };
}

export function toEffectiveProtocolResponse(p: PatientEntity, programmeVersions: ProgrammeVersions): EffectiveProtocolResponse {
  const effective = resolveProtocol({ programs: p.programs, spo2Scale: p.spo2Scale, timezone: p.timezone, version: p.protocolVersion, overrides: p.protocolOverrides, programmeVersions });
  return {
    patientId: p.id,
    version: p.protocolVersion,
    programs: p.programs,
    spo2Scale: p.spo2Scale,
    timezone: p.timezone,
    rules: effective.rules.map((r) => ({ ...r, parameters: [...r.parameters] })),
    overrides: p.protocolOverrides,
  };
}

@Injectable()
export class PatientsService {
  constructor(
    @InjectRepository(PatientEntity) private readonly patients: Repository<PatientEntity>,
    private readonly events: EventPublisher,
    private readonly programmeProtocols: ProtocolVersionsService,
  ) {}

  /** The patient's effective protocol, with the programme versions in force. */
  async effectiveProtocol(patient: PatientEntity): Promise<EffectiveProtocolResponse> {
    return toEffectiveProtocolResponse(patient, await this.programmeProtocols.publishedVersions());
  }

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
      spo2Scale: request.spo2Scale ?? defaultSpo2Scale(programs),
      careTeamId: request.careTeamId ?? DEFAULT_CARE_TEAM,
      protocolVersion: 1,
      protocolOverrides: [],
    });
    return this.patients.manager.transaction(async (tx) => {
      try {
        await tx.insert(PatientEntity, patient);
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw new ConflictException('a patient with this mrn exists');
        throw error;
      }
      const saved = await tx.findOneByOrFail(PatientEntity, { id: patient.id });
      await this.events.publishProtocol(protocolRecord(saved, saved.createdAt));
      return saved;
    });
  }

  /**
   * Replaces the patient's overrides as one new protocol version, kept in the history with who
   * and why, and published to the rules engines in the same transaction (the next reading is
   * judged by it). An override that is unchanged keeps its provenance; a new or changed one is
   * attributed to this user and version. Invalid overrides are refused with field-level reasons
   * and change nothing.
   */
  async setOverrides(id: string, request: SetProtocolOverridesRequest, user: AuthenticatedUser, rolledBackFrom: number | null = null): Promise<PatientEntity> {
    return this.patients.manager.transaction(async (tx) => {
      const scope = careTeamScope(user);
      const patient = await tx.findOne(PatientEntity, { where: scope ? { id, careTeamId: In([...scope]) } : { id }, lock: { mode: 'pessimistic_write' } });
      if (!patient) throw new NotFoundException(`no patient ${id}`);
      const issues = validateOverrides(patient.programs, request.overrides, await this.programmeProtocols.publishedVersions(tx));
      if (issues.length > 0) throw refused(issues);
      const now = new Date();
      const version = patient.protocolVersion + 1;
      patient.protocolOverrides = request.overrides.map((input) => {
        const kept = patient.protocolOverrides.find((o) => sameSetting(o, input));
        return kept ?? { ...settingInput(input), setBy: user.sub, setAt: now.toISOString(), version };
      });
      patient.protocolVersion = version;
      await tx.update(PatientEntity, { id }, { protocolOverrides: patient.protocolOverrides, protocolVersion: version });
      await tx.insert(PatientProtocolVersionEntity, {
        patientId: id,
        version,
        overrides: patient.protocolOverrides,
        reason: request.reason,
        createdBy: user.sub,
        createdAt: now,
        rolledBackFrom,
      });
      await this.events.publishProtocol(protocolRecord(patient, now));
      return patient;
    });
  }

  /** The history of the patient's overrides, each version with its changes against the one before. */
  async protocolVersions(id: string, user: AuthenticatedUser): Promise<PatientProtocolVersionResponse[]> {
    const patient = await this.getVisible(id, user);
    const rows = await this.patients.manager.find(PatientProtocolVersionEntity, { where: { patientId: patient.id }, order: { version: 'ASC' } });
    return rows.map((r, i) => ({
      version: r.version,
      overrides: r.overrides,
      reason: r.reason,
      createdBy: r.createdBy,
      createdAt: r.createdAt.toISOString(),
      rolledBackFrom: r.rolledBackFrom,
      changes: diffSettings(rows[i - 1]?.overrides ?? [], r.overrides),
    }));
  }

  /** A new version with the overrides of `version` (1: none), validated again against today's protocols. */
  async rollbackOverrides(id: string, version: number, reason: string, user: AuthenticatedUser): Promise<PatientEntity> {
    const patient = await this.getVisible(id, user);
    let overrides: ProtocolOverrideInput[] = [];
    if (version !== 1) {
      const row = await this.patients.manager.findOneBy(PatientProtocolVersionEntity, { patientId: patient.id, version });
      if (!row) throw new NotFoundException(`no version ${version} of this patient's protocol`);
      overrides = row.overrides.map(settingInput);
    }
    return this.setOverrides(id, { overrides, reason }, user, version);
  }

  /** The patient if it exists and the user may see it; 404 otherwise (no existence leak). */
  async getVisible(id: string, user: AuthenticatedUser): Promise<PatientEntity> {
    const scope = careTeamScope(user);
    const patient = await this.patients.findOneBy(scope ? { id, careTeamId: In([...scope]) } : { id });
    if (!patient) throw new NotFoundException(`no patient ${id}`);
    return patient;
  }
}
