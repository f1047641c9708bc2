import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { AddAlertNoteRequest, AlertEventV1, AlertResponse, AssignAlertRequest, ResolveAlertRequest, SnoozeAlertRequest } from '@rpm/contracts';
import { careTeamScope, type AuthenticatedUser } from '../auth/authenticated-user';
import { CareTeamsService } from '../care-teams/care-teams.service';
import { DispositionsService } from '../dispositions/dispositions.service';
import { AlertEventOutbox } from '../messaging/alert-event-outbox';
import { PatientEntity } from '../patients/patient.entity';
import { AlertEntity } from './alert.entity';
import { alertEvent } from './alert-events';
import { AlertQueryRepository } from './alert-query.repository';
import { ackWindowAfterSnooze, endSnooze, liveSnooze, refuseHighSeverity, startSnooze } from './alert-snoozes';

/** What a nurse's action did: the alert's new fields and the event that tells everyone else. */
interface Change {
  readonly update: Partial<AlertEntity>;
  readonly type: AlertEventV1['type'];
  readonly extra?: Partial<AlertEventV1>;
}

const unresolved = (alert: AlertEntity, action: string) => {
  if (alert.status === 'resolved') throw new ConflictException(`cannot ${action} an alert that is resolved`);
};

/**
 * A nurse's actions on an alert (issue 4, section 1): acknowledge, resolve with a disposition,
 * assign and unassign, notes, snooze. Each is validated against the alert's state (409 when it
 * does not apply), timestamped, attributed, and written with its rpm.alert-events.v1 event in one
 * transaction. Another care team's alert is a 404, as if it did not exist.
 */
@Injectable()
export class AlertLifecycleService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: AlertQueryRepository,
    private readonly outbox: AlertEventOutbox,
    private readonly dispositions: DispositionsService,
    private readonly careTeams: CareTeamsService,
  ) {}

  acknowledge(id: string, user: AuthenticatedUser): Promise<AlertResponse> {
    return this.change(id, user, (alert, now) => {
      if (alert.status !== 'open') throw new ConflictException(`cannot acknowledge an alert that is ${alert.status}`);
      return { type: 'acknowledged', update: { status: 'acknowledged', acknowledgedAt: now, acknowledgedBy: user.sub } };
    });
  }

  resolve(id: string, user: AuthenticatedUser, request: ResolveAlertRequest): Promise<AlertResponse> {
    return this.change(id, user, async (alert, now, tx) => {
      unresolved(alert, 'resolve');
      await this.dispositions.requireActive(tx, request.disposition);
      return {
        type: 'resolved',
        update: { status: 'resolved', resolvedAt: now, resolvedBy: user.sub, disposition: request.disposition, note: request.note ?? null },
        extra: { disposition: request.disposition },
      };
    });
  }

  /** To a member of the patient's care team ("me": the caller, who sees the patient already). */
  assign(id: string, user: AuthenticatedUser, request: AssignAlertRequest): Promise<AlertResponse> {
    const assignee = request.assignee === 'me' ? user.sub : request.assignee;
    return this.change(id, user, async (alert, now, tx, patient) => {
      unresolved(alert, 'assign');
      if (assignee !== user.sub && !(await this.careTeams.isMember(tx, patient.careTeamId, assignee))) {
        const reason = `not a member of the patient's care team (${patient.careTeamId})`;
        throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `assignee: ${reason}`, issues: [{ field: 'assignee', reason }] });
      }
      if (alert.assignedTo === assignee) throw new ConflictException(`the alert is already assigned to ${assignee}`);
      return { type: 'assigned', update: { assignedTo: assignee, assignedAt: now }, extra: { assignee } };
    });
  }

  unassign(id: string, user: AuthenticatedUser): Promise<AlertResponse> {
    return this.change(id, user, (alert) => {
      unresolved(alert, 'unassign');
      if (!alert.assignedTo) throw new ConflictException('the alert is not assigned');
      return { type: 'unassigned', update: { assignedTo: null, assignedAt: null } };
    });
  }

  /** Notes are part of the record: allowed in every status, never edited. */
  addNote(id: string, user: AuthenticatedUser, request: AddAlertNoteRequest): Promise<AlertResponse> {
    return this.change(id, user, async (alert, now, tx) => {
      await tx.query(`INSERT INTO alert_notes (id, alert_id, author, body, created_at) VALUES ($1, $2, $3, $4, $5)`, [randomUUID(), alert.id, user.sub, request.body, now]);
      return { type: 'note_added', update: {} };
    });
  }

  /** Hides the alert, and further breaches of (patient, rule), for `minutes`; a worse value breaks through. */
  snooze(id: string, user: AuthenticatedUser, request: SnoozeAlertRequest): Promise<AlertResponse> {
    return this.change(id, user, async (alert, now, tx) => {
      unresolved(alert, 'snooze');
      refuseHighSeverity(alert);
      const until = new Date(now.getTime() + request.minutes * 60_000);
      await startSnooze(tx, alert, until, user.sub, request.reason ?? null);
      return { type: 'snoozed', update: { snoozedUntil: until }, extra: { snoozedUntil: until.toISOString() } };
    });
  }

  /** Ends the snooze of the alert's (patient, rule) now. */
  unsnooze(id: string, user: AuthenticatedUser): Promise<AlertResponse> {
    return this.change(id, user, async (alert, now, tx) => {
      const snooze = await liveSnooze(tx, alert.patientId, alert.ruleId);
      if (!snooze || !alert.snoozedUntil) throw new ConflictException('the alert is not snoozed');
      await endSnooze(tx, snooze.id, 'cancelled', user.sub);
      return { type: 'snooze_ended', update: { snoozedUntil: null, acknowledgeBy: ackWindowAfterSnooze(alert, now) } };
    });
  }

  private async change(
    id: string,
    user: AuthenticatedUser,
    decide: (alert: AlertEntity, now: Date, tx: EntityManager, patient: PatientEntity) => Change | Promise<Change>,
  ): Promise<AlertResponse> {
    const scope = careTeamScope(user);
    await this.db.transaction(async (tx): Promise<void> => {
      const alert = await tx.createQueryBuilder(AlertEntity, 'a').setLock('pessimistic_write').where('a.id = :id', { id }).getOne();
      const patient = alert ? await tx.findOneBy(PatientEntity, { id: alert.patientId }) : null;
      if (!alert || !patient || (scope && !scope.includes(patient.careTeamId))) throw new NotFoundException(`no alert ${id}`);
      const now = new Date();
      const change = await decide(alert, now, tx, patient);
      await tx.update(AlertEntity, { id }, { ...change.update, updatedAt: now });
      const event = alertEvent({
        alertId: id,
        patientId: alert.patientId,
        type: change.type,
        status: change.update.status ?? alert.status,
        at: now,
        actor: user.sub,
        disposition: null,
        // A user's action happens once (its transaction commits once): any unique discriminator will do.
        discriminator: randomUUID(),
      });
      await this.outbox.add(tx, [{ ...event, ...change.extra }]);
    });
    this.outbox.kick();
    return this.get(id, user);
  }

  async get(id: string, user: AuthenticatedUser): Promise<AlertResponse> {
    const alert = await this.query.get(id, careTeamScope(user));
    if (!alert) throw new NotFoundException(`no alert ${id}`);
    return alert;
  }
}
