import { ConflictException, Injectable, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ArrayContains, In, type DataSource } from 'typeorm';
import type { BacktestResponse, ObservationV1, ProtocolName } from '@rpm/contracts';
import { compareReplays, replayPatient, resolveProtocol, type EffectiveProtocol, type ProgrammeVersions, type ReplayedAlert } from '@rpm/clinical-rules';
import { JsonLogger } from '@rpm/service-kit';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { AlertEntity } from '../alerts/alert.entity';
import { DispositionsService } from '../dispositions/dispositions.service';
import { VitalsStoreClient } from '../observations/vitals-store.client';
import { PatientEntity } from '../patients/patient.entity';
import { BacktestEntity } from './backtest.entity';
import { ProtocolVersionsService } from './protocol-versions.service';

const DAY_MS = 86_400_000;
/** Patients whose history is fetched in one request, and replayed between two yields to the event loop. */
const FETCH_CHUNK = 200;
const YIELD_EVERY = 10;
/** Readings before the period feed the state (trends look back 14 days; open episodes) without counting. */
const WARM_UP_MS = 14 * DAY_MS;

/**
 * Backtest jobs (issue 5, section 2): a version of a programme protocol replayed over the stored
 * readings of the programme's patients, against the protocols in force, in the background with
 * progress; cancellable. Jobs run in the care-api instance that started them; a restart marks its
 * running jobs failed.
 */
@Injectable()
export class BacktestsService implements OnApplicationBootstrap {
  private readonly log = new JsonLogger('care-api');
  private readonly cancelled = new Set<string>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly versions: ProtocolVersionsService,
    private readonly vitals: VitalsStoreClient,
    private readonly dispositionList: DispositionsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Jobs of an instance that stopped are not coming back.
    await this.db.manager.update(BacktestEntity, { status: 'running' }, { status: 'failed', error: 'care-api restarted while it ran', finishedAt: new Date() });
  }

  async start(programme: ProtocolName, version: number, range: { from?: string; to?: string }, user: AuthenticatedUser): Promise<BacktestResponse> {
    const settings = await this.versions.settingsOf(programme, version);
    const to = range.to ? new Date(range.to) : new Date();
    const from = range.from ? new Date(range.from) : new Date(to.getTime() - 30 * DAY_MS);
    const patients = await this.db.manager.find(PatientEntity, programme === 'general' ? {} : { where: { programs: ArrayContains([programme]) } });
    const job = this.db.manager.create(BacktestEntity, {
      id: randomUUID(),
      programme,
      version,
      status: 'running',
      periodFrom: from,
      periodTo: to,
      done: 0,
      total: patients.length,
      result: null,
      error: null,
      createdBy: user.sub,
      createdAt: new Date(),
      finishedAt: null,
    });
    await this.db.manager.insert(BacktestEntity, job);
    const published = await this.versions.publishedVersions();
    const draft: ProgrammeVersions = { ...published, [programme]: { version, settings } };
    this.run(job, patients, published, draft).catch(async (error: unknown) => {
      this.log.error('backtest failed', { backtestId: job.id, error: String(error) });
      await this.db.manager.update(BacktestEntity, { id: job.id }, { status: 'failed', error: String(error), finishedAt: new Date() });
    });
    return toResponse(job);
  }

  async get(id: string): Promise<BacktestResponse> {
    const job = await this.db.manager.findOneBy(BacktestEntity, { id });
    if (!job) throw new NotFoundException(`no backtest ${id}`);
    return toResponse(job);
  }

  async cancel(id: string): Promise<BacktestResponse> {
    const job = await this.db.manager.findOneBy(BacktestEntity, { id });
    if (!job) throw new NotFoundException(`no backtest ${id}`);
    if (job.status !== 'running') throw new ConflictException(`backtest ${id} is ${job.status}`);
    this.cancelled.add(id);
    return toResponse(job);
  }

  private async run(job: BacktestEntity, patients: readonly PatientEntity[], current: ProgrammeVersions, draft: ProgrammeVersions): Promise<void> {
    const protocols = new Map<string, EffectiveProtocol>();
    const resolved = (p: PatientEntity, programmeVersions: ProgrammeVersions, side: string): EffectiveProtocol => {
      const key = JSON.stringify([side, p.programs, p.spo2Scale, p.timezone, p.protocolVersion, p.protocolOverrides]);
      let protocol = protocols.get(key);
      if (!protocol) {
        protocol = resolveProtocol({ programs: p.programs, spo2Scale: p.spo2Scale, timezone: p.timezone, version: p.protocolVersion, overrides: p.protocolOverrides, programmeVersions });
        protocols.set(key, protocol);
      }
      return protocol;
    };
    const before: ReplayedAlert[] = [];
    const after: ReplayedAlert[] = [];
    const range = { from: job.periodFrom, to: job.periodTo };
    let done = 0;
    let stopped = false;
    for (let i = 0; i < patients.length && !stopped; i += FETCH_CHUNK) {
      const chunk = patients.slice(i, i + FETCH_CHUNK);
      const history = new Map<string, ObservationV1[]>();
      for (const o of await this.vitals.history(chunk.map((p) => p.id), new Date(job.periodFrom.getTime() - WARM_UP_MS), job.periodTo)) {
        const list = history.get(o.patientId);
        if (list) list.push(o);
        else history.set(o.patientId, [o]);
      }
      for (const patient of chunk) {
        if (this.cancelled.has(job.id)) {
          stopped = true;
          break;
        }
        const readings = history.get(patient.id) ?? [];
        before.push(...replayPatient(patient.id, readings, resolved(patient, current, 'current'), range));
        after.push(...replayPatient(patient.id, readings, resolved(patient, draft, 'draft'), range));
        done += 1;
        if (done % YIELD_EVERY === 0) {
          await this.db.manager.update(BacktestEntity, { id: job.id }, { done });
          await yieldToEventLoop();
        }
      }
    }
    const replayedIds = patients.slice(0, done).map((p) => p.id);
    const resolvedAlerts = replayedIds.length
      ? await this.db.manager.find(AlertEntity, { select: { id: true, disposition: true }, where: { patientId: In(replayedIds), status: 'resolved' } })
      : [];
    const dispositions = new Map(resolvedAlerts.filter((a) => a.disposition).map((a) => [a.id, a.disposition!]));
    const result = compareReplays({ current: before, draft: after, patients: done, from: job.periodFrom, to: job.periodTo, complete: !stopped, dispositions, clinicalDispositions: await this.dispositionList.codesOf('clinical') });
    this.cancelled.delete(job.id);
    await this.db.manager.update(BacktestEntity, { id: job.id }, {
      status: stopped ? 'cancelled' : 'done',
      done,
      result,
      finishedAt: new Date(),
    });
    this.log.info('backtest finished', { backtestId: job.id, patients: done, complete: !stopped });
  }
}

function toResponse(job: BacktestEntity): BacktestResponse {
  return {
    id: job.id,
    programme: job.programme,
    version: job.version,
    status: job.status,
    from: job.periodFrom.toISOString(),
    to: job.periodTo.toISOString(),
    progress: { done: job.done, total: job.total },
    createdBy: job.createdBy,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    error: job.error,
    result: job.result as unknown as Record<string, unknown> | null,
  };
}
