import { ConflictException, Injectable, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ArrayContains, In, LessThan, type DataSource } from 'typeorm';
import type { BacktestResponse, ObservationV1, PatientBacktestRequest, ProtocolName } from '@rpm/contracts';
import { compareReplays, replayPatient, resolveProtocol, validateOverrides, type EffectiveProtocol, type ProgrammeVersions, type ReplayedAlert } from '@rpm/clinical-rules';
import { JsonLogger } from '@rpm/service-kit';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { AlertEntity } from '../alerts/alert.entity';
import { DispositionsService } from '../dispositions/dispositions.service';
import { VitalsStoreClient } from '../observations/vitals-store.client';
import { PatientEntity } from '../patients/patient.entity';
import { BacktestEntity } from './backtest.entity';
import { refused, settingInput } from './protocol-settings';
import { ProtocolVersionsService } from './protocol-versions.service';

const DAY_MS = 86_400_000;
/** Patients whose history is fetched in one request, and replayed between two progress writes (and yields to the event loop). */
const FETCH_CHUNK = 200;
const PROGRESS_EVERY = 10;
/** Readings before the period feed the state (trends look back 14 days; open episodes) without counting. */
const WARM_UP_MS = 14 * DAY_MS;
/** A running job whose heartbeat is older than this lost its instance. */
const STALE_MS = 2 * 60_000;

/** How each patient is judged: under the protocols in force, and under the draft. */
interface Sides {
  readonly current: (p: PatientEntity) => EffectiveProtocol;
  readonly draft: (p: PatientEntity) => EffectiveProtocol;
}

const protocolOf = (p: PatientEntity, programmeVersions: ProgrammeVersions, overrides = p.protocolOverrides): EffectiveProtocol =>
  resolveProtocol({ programs: p.programs, spo2Scale: p.spo2Scale, timezone: p.timezone, version: p.protocolVersion, overrides, programmeVersions });

/** Patients with the same programmes and overrides share one resolved protocol per side. */
function cached(resolve: (p: PatientEntity) => EffectiveProtocol): (p: PatientEntity) => EffectiveProtocol {
  const protocols = new Map<string, EffectiveProtocol>();
  return (p) => {
    const key = JSON.stringify([p.programs, p.spo2Scale, p.timezone, p.protocolVersion, p.protocolOverrides]);
    let protocol = protocols.get(key);
    if (!protocol) {
      protocol = resolve(p);
      protocols.set(key, protocol);
    }
    return protocol;
  };
}

/**
 * Backtest jobs (issue 5, section 2): a programme protocol version, or a patient's draft
 * overrides, replayed over the stored readings of the patients it affects, against the protocols
 * in force; in the background with progress; cancellable from any instance. A job runs in the
 * care-api instance that started it, which keeps its heartbeat; a job whose heartbeat stopped (its
 * instance died) is marked failed.
 */
@Injectable()
export class BacktestsService implements OnApplicationBootstrap {
  private readonly log = new JsonLogger('care-api');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly versions: ProtocolVersionsService,
    private readonly vitals: VitalsStoreClient,
    private readonly dispositionList: DispositionsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.failStale();
  }

  /** A programme version against the version in force, over the programme's patients. */
  async startProgramme(programme: ProtocolName, version: number, range: { from?: string; to?: string }, user: AuthenticatedUser): Promise<BacktestResponse> {
    const settings = await this.versions.settingsOf(programme, version);
    const patients = await this.db.manager.find(PatientEntity, programme === 'general' ? {} : { where: { programs: ArrayContains([programme]) } });
    const published = await this.versions.publishedVersions();
    const draft: ProgrammeVersions = { ...published, [programme]: { version, settings } };
    return this.start({ programme, version, patientId: null, draftOverrides: null }, patients, range, user, {
      current: cached((p) => protocolOf(p, published)),
      draft: cached((p) => protocolOf(p, draft)),
    });
  }

  /** A draft of one patient's overrides (validated like a real change) against the overrides in force. */
  async startPatient(patient: PatientEntity, request: PatientBacktestRequest, user: AuthenticatedUser): Promise<BacktestResponse> {
    const published = await this.versions.publishedVersions();
    const issues = validateOverrides(patient.programs, request.overrides, published);
    if (issues.length > 0) throw refused(issues);
    const drafted = request.overrides.map(settingInput);
    const now = new Date().toISOString();
    const asOverrides = drafted.map((o) => ({ ...o, setBy: user.sub, setAt: now, version: patient.protocolVersion + 1 }));
    return this.start({ programme: null, version: null, patientId: patient.id, draftOverrides: drafted }, [patient], request, user, {
      current: (p) => protocolOf(p, published),
      draft: (p) => protocolOf(p, published, asOverrides),
    });
  }

  async get(id: string): Promise<BacktestResponse> {
    await this.failStale();
    const job = await this.db.manager.findOneBy(BacktestEntity, { id });
    if (!job) throw new NotFoundException(`no backtest ${id}`);
    return toResponse(job);
  }

  /** Asks the running instance to stop: it keeps what it replayed so far and marks the job cancelled. */
  async cancel(id: string): Promise<BacktestResponse> {
    const job = await this.db.manager.findOneBy(BacktestEntity, { id });
    if (!job) throw new NotFoundException(`no backtest ${id}`);
    if (job.status !== 'running') throw new ConflictException(`backtest ${id} is ${job.status}`);
    await this.db.manager.update(BacktestEntity, { id, status: 'running' }, { cancelRequested: true });
    return toResponse({ ...job, cancelRequested: true });
  }

  private async failStale(): Promise<void> {
    await this.db.manager.update(
      BacktestEntity,
      { status: 'running', heartbeatAt: LessThan(new Date(Date.now() - STALE_MS)) },
      { status: 'failed', error: 'the care-api instance running it stopped', finishedAt: new Date() },
    );
  }

  private async start(
    subject: Pick<BacktestEntity, 'programme' | 'version' | 'patientId' | 'draftOverrides'>,
    patients: readonly PatientEntity[],
    range: { from?: string | undefined; to?: string | undefined },
    user: AuthenticatedUser,
    sides: Sides,
  ): Promise<BacktestResponse> {
    const to = range.to ? new Date(range.to) : new Date();
    const from = range.from ? new Date(range.from) : new Date(to.getTime() - 30 * DAY_MS);
    const now = new Date();
    const job = this.db.manager.create(BacktestEntity, {
      id: randomUUID(),
      ...subject,
      status: 'running',
      periodFrom: from,
      periodTo: to,
      done: 0,
      total: patients.length,
      result: null,
      error: null,
      createdBy: user.sub,
      createdAt: now,
      finishedAt: null,
      cancelRequested: false,
      heartbeatAt: now,
    });
    await this.db.manager.insert(BacktestEntity, job);
    this.run(job, patients, sides).catch(async (error: unknown) => {
      this.log.error('backtest failed', { backtestId: job.id, error: String(error) });
      await this.db.manager
        .update(BacktestEntity, { id: job.id, status: 'running' }, { status: 'failed', error: String(error), finishedAt: new Date() })
        // The database is gone too: the job's heartbeat stops and it is marked failed later.
        .catch(() => undefined);
    });
    return toResponse(job);
  }

  /** Writes progress and the heartbeat; answers whether someone asked to cancel. */
  private async progress(id: string, done: number): Promise<boolean> {
    const [rows] = (await this.db.query(`UPDATE backtests SET done = $2, heartbeat_at = now() WHERE id = $1 RETURNING cancel_requested`, [id, done])) as [
      { cancel_requested: boolean }[],
      number,
    ];
    return rows[0]?.cancel_requested ?? false;
  }

  private async run(job: BacktestEntity, patients: readonly PatientEntity[], sides: Sides): Promise<void> {
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
      stopped = await this.progress(job.id, done);
      for (const patient of chunk) {
        if (stopped) break;
        const readings = history.get(patient.id) ?? [];
        before.push(...replayPatient(patient.id, readings, sides.current(patient), range));
        after.push(...replayPatient(patient.id, readings, sides.draft(patient), range));
        done += 1;
        if (done % PROGRESS_EVERY === 0) {
          stopped = await this.progress(job.id, done);
          await yieldToEventLoop();
        }
      }
    }
    const replayedIds = patients.slice(0, done).map((p) => p.id);
    const resolvedAlerts = replayedIds.length
      ? await this.db.manager.find(AlertEntity, { select: { id: true, disposition: true }, where: { patientId: In(replayedIds), status: 'resolved' } })
      : [];
    const dispositions = new Map(resolvedAlerts.flatMap((a) => (a.disposition ? [[a.id, a.disposition] as const] : [])));
    const clinicalDispositions = await this.dispositionList.codesOf('clinical');
    const result = compareReplays({ current: before, draft: after, patients: done, from: job.periodFrom, to: job.periodTo, complete: !stopped, dispositions, clinicalDispositions });
    // Only while still running: a job another instance marked failed (its heartbeat was late) stays failed.
    await this.db.manager.update(BacktestEntity, { id: job.id, status: 'running' }, { status: stopped ? 'cancelled' : 'done', done, result, finishedAt: new Date(), heartbeatAt: new Date() });
    this.log.info('backtest finished', { backtestId: job.id, patients: done, complete: !stopped });
  }
}

function toResponse(job: BacktestEntity): BacktestResponse {
  return {
    id: job.id,
    programme: job.programme,
    version: job.version,
    patientId: job.patientId,
    status: job.status,
    from: job.periodFrom.toISOString(),
    to: job.periodTo.toISOString(),
    progress: { done: job.done, total: job.total },
    createdBy: job.createdBy,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    error: job.error,
    result: job.result,
  };
}
