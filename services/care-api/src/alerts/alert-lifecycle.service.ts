import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AlertResponse, AlertStatus, ResolveAlertRequest } from '@rpm/contracts';
import { careTeamScope, type AuthenticatedUser } from '../auth/authenticated-user';
import { AlertEventOutbox } from '../messaging/alert-event-outbox';
import { PatientEntity } from '../patients/patient.entity';
import { AlertEntity } from './alert.entity';
import { alertEvent } from './alert-events';
import { AlertQueryRepository } from './alert-query.repository';

/** Which transitions are allowed from each status. */
const TRANSITIONS: Record<'acknowledge' | 'resolve', readonly AlertStatus[]> = {
  acknowledge: ['open'],
  resolve: ['open', 'acknowledged'],
};

@Injectable()
export class AlertLifecycleService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly query: AlertQueryRepository,
    private readonly outbox: AlertEventOutbox,
  ) {}

  acknowledge(id: string, user: AuthenticatedUser): Promise<AlertResponse> {
    return this.transition(id, user, 'acknowledge', (now) => ({ status: 'acknowledged', acknowledgedAt: now, acknowledgedBy: user.sub }));
  }

  resolve(id: string, user: AuthenticatedUser, request: ResolveAlertRequest): Promise<AlertResponse> {
    return this.transition(id, user, 'resolve', (now) => ({
      status: 'resolved',
      resolvedAt: now,
      resolvedBy: user.sub,
      disposition: request.disposition,
      note: request.note ?? null,
    }));
  }

  private async transition(
    id: string,
    user: AuthenticatedUser,
    action: keyof typeof TRANSITIONS,
    changes: (now: Date) => Partial<AlertEntity>,
  ): Promise<AlertResponse> {
    const scope = careTeamScope(user);
    await this.db.transaction(async (tx): Promise<void> => {
      const alert = await tx.createQueryBuilder(AlertEntity, 'a').setLock('pessimistic_write').where('a.id = :id', { id }).getOne();
      const patient = alert ? await tx.findOneBy(PatientEntity, { id: alert.patientId }) : null;
      if (!alert || !patient || (scope && !scope.includes(patient.careTeamId))) throw new NotFoundException(`no alert ${id}`);
      if (!TRANSITIONS[action].includes(alert.status)) {
        throw new ConflictException(`cannot ${action} an alert that is ${alert.status}`);
      }
      const now = new Date();
      const update = { ...changes(now), updatedAt: now };
      await tx.update(AlertEntity, { id }, update);
      const status = update.status ?? alert.status;
      const event = alertEvent({
        alertId: id,
        patientId: alert.patientId,
        type: action === 'acknowledge' ? 'acknowledged' : 'resolved',
        status,
        at: now,
        actor: user.sub,
        disposition: update.disposition ?? null,
        discriminator: now.toISOString(),
      });
      await this.outbox.add(tx, [event]);
    });
    this.outbox.kick();
    const updated = await this.query.get(id, scope);
    if (!updated) throw new NotFoundException(`no alert ${id}`);
    return updated;
  }
}
