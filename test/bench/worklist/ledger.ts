import { performance } from 'node:perf_hooks';

/** Wall-clock milliseconds with sub-millisecond resolution (one clock for schedule and receipt). */
export const now = (): number => performance.timeOrigin + performance.now();

/** One AlertRaisedV1 record of the schedule: a new alert, so one 'raised' event whose alertId is its alertKey. */
export interface ScheduledAlert {
  readonly index: number;
  readonly alertKey: string;
  readonly patientId: string;
  readonly ruleId: string;
  readonly careTeam: string;
  /** When the open-loop schedule says it is sent; every latency is measured from here. */
  readonly scheduledAt: number;
  /** Sent during the warm-up: delivered and checked like the others, left out of the latency figures. */
  readonly warmup: boolean;
  sentAt: number;
  ackedAt: number;
  failed: boolean;
}

/** A screen whose nurse saw an alert of another care team, or a patient that is not of the run. */
export interface ScopeViolation {
  readonly screen: string;
  readonly alertId: string;
  readonly patientId: string;
  readonly careTeam: string | null;
}

/**
 * What was scheduled and what reached which screen: per alert the first and last receipt and
 * care-api's own apply time (the event's `at`), per delivery the push latency.
 */
export class Ledger {
  readonly alerts: ScheduledAlert[] = [];
  private readonly byKey = new Map<string, ScheduledAlert>();
  private readonly teamOfPatient = new Map<string, string>();
  firstReceivedAt: Float64Array = new Float64Array(0);
  lastReceivedAt: Float64Array = new Float64Array(0);
  appliedAt: Float64Array = new Float64Array(0);
  /** Receive time − scheduled send time of every first delivery of a measured alert to a screen, ms. */
  readonly latencies: number[] = [];
  /** The alert index of each entry of `latencies`. */
  readonly latencyAlert: number[] = [];
  readonly violations: ScopeViolation[] = [];
  /** Events of the run's patients that are not the expected 'raised' of a scheduled alert. */
  unexpectedEvents = 0;
  /** The same by event type (e.g. evidence_added from another care-api on the shared database taking the same record). */
  readonly unexpectedByType: Record<string, number> = {};
  /** Events of other runs' patients seen by admin screens (a shared database: expected, not counted). */
  foreignEventsToAdmins = 0;

  addPatient(patientId: string, careTeam: string): void {
    this.teamOfPatient.set(patientId, careTeam);
  }

  schedule(alerts: Omit<ScheduledAlert, 'index' | 'sentAt' | 'ackedAt' | 'failed' | 'careTeam'>[]): void {
    for (const a of alerts) {
      const careTeam = this.teamOfPatient.get(a.patientId);
      if (!careTeam) throw new Error(`patient ${a.patientId} is not of this run`);
      const alert: ScheduledAlert = { ...a, careTeam, index: this.alerts.length, sentAt: Number.NaN, ackedAt: Number.NaN, failed: false };
      this.alerts.push(alert);
      this.byKey.set(a.alertKey, alert);
    }
    this.firstReceivedAt = new Float64Array(this.alerts.length).fill(Number.NaN);
    this.lastReceivedAt = new Float64Array(this.alerts.length).fill(Number.NaN);
    this.appliedAt = new Float64Array(this.alerts.length).fill(Number.NaN);
  }

  /**
   * One event on one screen. `teams` null: an admin, who may see every patient. Returns the alert's
   * index when it is one of the schedule's and the screen may see it, else null.
   */
  deliver(screen: string, teams: ReadonlySet<string> | null, event: { alertId: string; patientId: string; type: string; at: string }, receivedAt: number): number | null {
    const alert = this.byKey.get(event.alertId);
    const team = this.teamOfPatient.get(event.patientId) ?? null;
    if (teams !== null && (team === null || !teams.has(team))) {
      this.violations.push({ screen, alertId: event.alertId, patientId: event.patientId, careTeam: team });
      return null;
    }
    if (team === null) {
      this.foreignEventsToAdmins++;
      return null;
    }
    if (!alert || event.type !== 'raised') {
      this.unexpectedEvents++;
      this.unexpectedByType[event.type] = (this.unexpectedByType[event.type] ?? 0) + 1;
      return null;
    }
    const i = alert.index;
    if (Number.isNaN(this.firstReceivedAt[i] ?? Number.NaN)) {
      this.firstReceivedAt[i] = receivedAt;
      this.appliedAt[i] = Date.parse(event.at);
    }
    this.lastReceivedAt[i] = receivedAt;
    return i;
  }

  /** Records a first delivery's latency (the screen keeps its own counts for duplicates). */
  measure(index: number, receivedAt: number): void {
    const alert = this.alerts[index];
    if (!alert || alert.warmup) return;
    this.latencies.push(receivedAt - alert.scheduledAt);
    this.latencyAlert.push(index);
  }

  teamOf(patientId: string): string | undefined {
    return this.teamOfPatient.get(patientId);
  }
}
