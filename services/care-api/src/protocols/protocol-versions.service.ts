import { ConflictException, Inject, Injectable, NotFoundException, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  ProtocolName,
  type ProgrammeProtocolResponse,
  type ProtocolDraftRequest,
  type ProtocolOverride,
  type ProtocolOverrideInput,
  type ProtocolVersionResponse,
} from '@rpm/contracts';
import { PROGRAMME_PROTOCOLS, resolveProtocol, validateProgrammeSettings, type ProgrammeVersions } from '@rpm/clinical-rules';
import { JsonLogger, PeriodicTask } from '@rpm/service-kit';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CARE_API_CONFIG, type CareApiConfig } from '../config/care-api.config';
import { EventPublisher } from '../messaging/event.publisher';
import { ProtocolVersionEntity } from './protocol-version.entity';
import { diffSettings, refused, sameSetting, settingInput as input } from './protocol-settings';

/**
 * Programme protocols as versions (issue 5): drafts validated field by field, published at once or
 * at a set time, rolled back to any earlier version; every publication goes to the rules engines
 * through rpm.rules.config.v1 in the same transaction, so the next reading is judged by it.
 */
@Injectable()
export class ProtocolVersionsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new JsonLogger('care-api');
  private readonly scheduler: PeriodicTask<number>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventPublisher,
    @Inject(CARE_API_CONFIG) config: CareApiConfig,
  ) {
    this.scheduler = new PeriodicTask('publishing scheduled protocol versions', config.CARE_API_PROTOCOL_SCHEDULE_MS, () => this.publishDue(), this.log);
  }

  onApplicationBootstrap(): void {
    this.scheduler.start();
  }

  onModuleDestroy(): void {
    this.scheduler.stop();
  }

  /** The published version of every programme that has one beyond the library default. */
  async publishedVersions(manager: EntityManager = this.db.manager): Promise<ProgrammeVersions> {
    const rows = await manager.find(ProtocolVersionEntity, { where: { status: 'published' } });
    return Object.fromEntries(rows.map((r) => [r.programme, { version: r.version, settings: r.settings }]));
  }

  /** The settings of a version (1: the library defaults, none); 404 when it does not exist. */
  async settingsOf(programme: ProtocolName, version: number): Promise<ProtocolOverride[]> {
    if (version === 1) return [];
    const row = await this.db.manager.findOneBy(ProtocolVersionEntity, { programme, version });
    if (!row) throw new NotFoundException(`no version ${version} of ${programme}`);
    return row.settings;
  }

  /** The protocol name, or 404. */
  programmeOf(name: string): ProtocolName {
    const parsed = ProtocolName.safeParse(name);
    if (!parsed.success) throw new NotFoundException(`no protocol ${name}; protocols are ${ProtocolName.options.join(', ')}`);
    return parsed.data;
  }

  async get(name: string): Promise<ProgrammeProtocolResponse> {
    const programme = this.programmeOf(name);
    const versions = await this.db.manager.find(ProtocolVersionEntity, { where: { programme }, order: { version: 'ASC' } });
    const published = versions.find((v) => v.status === 'published');
    const programmeVersions = published ? { [programme]: { version: published.version, settings: published.settings } } : {};
    const effective = resolveProtocol({ programs: programme === 'general' ? [] : [programme], spo2Scale: 1, timezone: 'UTC', version: 1, programmeVersions });
    return {
      programme,
      title: PROGRAMME_PROTOCOLS[programme].title,
      publishedVersion: published?.version ?? 1,
      rules: effective.rules.filter((r) => r.protocol === programme).map((r) => ({ ...r, parameters: [...r.parameters] })),
      versions: versions.map((v, i) => this.toResponse(v, versions[i - 1]?.settings ?? [])),
    };
  }

  async createDraft(name: string, request: ProtocolDraftRequest, user: AuthenticatedUser): Promise<ProtocolVersionResponse> {
    const programme = this.programmeOf(name);
    const issues = validateProgrammeSettings(programme, request.settings);
    if (issues.length > 0) throw refused(issues);
    return this.db.transaction(async (tx) => {
      // Serialises version numbers per programme.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`protocol:${programme}`]);
      const latest = await tx.findOne(ProtocolVersionEntity, { where: { programme }, order: { version: 'DESC' } });
      const current = await tx.findOne(ProtocolVersionEntity, { where: { programme, status: 'published' } });
      const version = (latest?.version ?? 1) + 1;
      const row = tx.create(ProtocolVersionEntity, {
        programme,
        version,
        status: 'draft',
        settings: this.attributed(request.settings, current?.settings ?? [], user, version),
        reason: request.reason,
        createdBy: user.sub,
        createdAt: new Date(),
        effectiveAt: null,
        publishedAt: null,
        publishedBy: null,
        rolledBackFrom: null,
      });
      await tx.insert(ProtocolVersionEntity, row);
      return this.toResponse(row, latest?.settings ?? []);
    });
  }

  async updateDraft(name: string, version: number, request: ProtocolDraftRequest, user: AuthenticatedUser): Promise<ProtocolVersionResponse> {
    const programme = this.programmeOf(name);
    const issues = validateProgrammeSettings(programme, request.settings);
    if (issues.length > 0) throw refused(issues);
    return this.db.transaction(async (tx) => {
      const row = await this.lockedVersion(tx, programme, version);
      if (row.status !== 'draft') throw new ConflictException(`version ${version} of ${programme} is ${row.status}; only a draft can change`);
      const current = await tx.findOne(ProtocolVersionEntity, { where: { programme, status: 'published' } });
      row.settings = this.attributed(request.settings, current?.settings ?? [], user, version);
      row.reason = request.reason;
      await tx.update(ProtocolVersionEntity, { programme, version }, { settings: row.settings, reason: row.reason });
      return this.toResponse(row, await this.previousSettings(tx, programme, version));
    });
  }

  /** Publishes a draft at once, or schedules it; 409 for anything but a draft. */
  async publish(name: string, version: number, effectiveAt: Date | null, user: AuthenticatedUser): Promise<ProtocolVersionResponse> {
    const programme = this.programmeOf(name);
    return this.db.transaction(async (tx) => {
      const row = await this.lockedVersion(tx, programme, version);
      if (row.status !== 'draft') throw new ConflictException(`version ${version} of ${programme} is ${row.status}; only a draft can be published`);
      if (effectiveAt && effectiveAt.getTime() > Date.now()) {
        await tx.update(ProtocolVersionEntity, { programme, version }, { status: 'scheduled', effectiveAt, publishedBy: user.sub });
        return this.toResponse({ ...row, status: 'scheduled', effectiveAt, publishedBy: user.sub }, await this.previousSettings(tx, programme, version));
      }
      const published = await this.publishInTx(tx, row, user.sub);
      return this.toResponse(published, await this.previousSettings(tx, programme, version));
    });
  }

  /** A new version with the settings of `version` (1: the library defaults), published at once. */
  async rollback(name: string, version: number, reason: string, user: AuthenticatedUser): Promise<ProtocolVersionResponse> {
    const programme = this.programmeOf(name);
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`protocol:${programme}`]);
      let settings: ProtocolOverride[] = [];
      if (version !== 1) {
        const target = await tx.findOne(ProtocolVersionEntity, { where: { programme, version } });
        if (!target) throw new NotFoundException(`no version ${version} of ${programme}`);
        if (target.status === 'draft' || target.status === 'scheduled') throw new ConflictException(`version ${version} of ${programme} was never published`);
        settings = target.settings;
      }
      const latest = await tx.findOne(ProtocolVersionEntity, { where: { programme }, order: { version: 'DESC' } });
      const current = await tx.findOne(ProtocolVersionEntity, { where: { programme, status: 'published' } });
      const next = (latest?.version ?? 1) + 1;
      const row = tx.create(ProtocolVersionEntity, {
        programme,
        version: next,
        status: 'draft',
        settings: this.attributed(settings, current?.settings ?? [], user, next),
        reason,
        createdBy: user.sub,
        createdAt: new Date(),
        effectiveAt: null,
        publishedAt: null,
        publishedBy: null,
        rolledBackFrom: version,
      });
      await tx.insert(ProtocolVersionEntity, row);
      const published = await this.publishInTx(tx, row, user.sub);
      return this.toResponse(published, latest?.settings ?? []);
    });
  }

  /** Publishes scheduled versions whose time has come; one transaction each. */
  async publishDue(): Promise<number> {
    const due = await this.db.manager
      .createQueryBuilder(ProtocolVersionEntity, 'v')
      .where(`v.status = 'scheduled' AND v.effective_at <= now()`)
      .orderBy('v.effective_at')
      .getMany();
    let published = 0;
    for (const candidate of due) {
      await this.db.transaction(async (tx) => {
        const row = await this.lockedVersion(tx, candidate.programme, candidate.version);
        // Another instance may have published it meanwhile.
        if (row.status !== 'scheduled') return;
        await this.publishInTx(tx, row, row.publishedBy ?? row.createdBy);
        published += 1;
      });
    }
    return published;
  }

  private async publishInTx(tx: EntityManager, row: ProtocolVersionEntity, by: string): Promise<ProtocolVersionEntity> {
    const now = new Date();
    await tx.update(ProtocolVersionEntity, { programme: row.programme, status: 'published' }, { status: 'superseded' });
    // A version scheduled earlier but older than this one must not replace it when its time comes.
    await tx
      .createQueryBuilder()
      .update(ProtocolVersionEntity)
      .set({ status: 'superseded' })
      .where(`programme = :programme AND status = 'scheduled' AND version < :version`, { programme: row.programme, version: row.version })
      .execute();
    await tx.update(ProtocolVersionEntity, { programme: row.programme, version: row.version }, { status: 'published', publishedAt: now, publishedBy: by });
    const programme = this.programmeOf(row.programme);
    await this.events.publishProgrammeProtocol({
      schema: 'rpm.programme-protocol.v1',
      programme,
      version: row.version,
      settings: row.settings,
      publishedAt: now.toISOString(),
      publishedBy: by,
    });
    this.log.info('programme protocol published', { programme, version: row.version });
    return { ...row, status: 'published', publishedAt: now, publishedBy: by };
  }

  /** New or changed settings are attributed to this user and version; unchanged ones keep who set them. */
  private attributed(settings: readonly ProtocolOverrideInput[], current: readonly ProtocolOverride[], user: AuthenticatedUser, version: number): ProtocolOverride[] {
    const now = new Date().toISOString();
    return settings.map((s) => current.find((c) => sameSetting(c, s)) ?? { ...input(s), setBy: user.sub, setAt: now, version });
  }

  private async lockedVersion(tx: EntityManager, programme: string, version: number): Promise<ProtocolVersionEntity> {
    const row = await tx.findOne(ProtocolVersionEntity, { where: { programme, version }, lock: { mode: 'pessimistic_write' } });
    if (!row) throw new NotFoundException(`no version ${version} of ${programme}`);
    return row;
  }

  private async previousSettings(tx: EntityManager, programme: string, version: number): Promise<ProtocolOverride[]> {
    return (await tx.findOneBy(ProtocolVersionEntity, { programme, version: version - 1 }))?.settings ?? [];
  }

  private toResponse(v: ProtocolVersionEntity, previous: readonly ProtocolOverrideInput[]): ProtocolVersionResponse {
    return {
      programme: v.programme,
      version: v.version,
      status: v.status,
      settings: v.settings,
      reason: v.reason,
      createdBy: v.createdBy,
      createdAt: v.createdAt.toISOString(),
      effectiveAt: v.effectiveAt?.toISOString() ?? null,
      publishedAt: v.publishedAt?.toISOString() ?? null,
      publishedBy: v.publishedBy,
      rolledBackFrom: v.rolledBackFrom,
      changes: diffSettings(previous, v.settings),
    };
  }
}
