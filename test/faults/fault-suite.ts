/**
 * Fault injection under steady load on a private stack (test/faults/private-stack.ts).
 * Used by `npm run test:faults` (every fault) and test/faults.e2e-spec.ts (a subset).
 */
import { Topics } from '@rpm/contracts';
import { consumerGroupLag } from '@rpm/kafka';
import type { ServiceName } from '@rpm/testing';
import { PipelineHarness } from '../pipeline-harness';
import { StoreReader, tally, type Tally } from './accounting';
import { crisisBloodPressure, DeviceLog, enrolFleet, SteadyLoad, type FleetDevice } from './fleet';
import { PrivateStack, sleep, type StackSlot } from './private-stack';
import { sentinelObservationId, watchSentinels, type Sentinel } from './sentinel-watch';

export type FaultName =
  | 'ingest-gateway kill -9'
  | 'vitals-store kill -9'
  | 'rules-engine kill -9'
  | 'care-api kill -9'
  | 'kafka kill -9 + restart'
  | 'postgres restart -m fast'
  | 'postgres restart -m immediate'
  | 'mosquitto restart (SIGTERM)'
  | 'mosquitto kill -9'
  | 'mosquitto kill -9 with a backlog queued (gateway down)';

export const ALL_FAULTS: FaultName[] = [
  'ingest-gateway kill -9',
  'vitals-store kill -9',
  'rules-engine kill -9',
  'care-api kill -9',
  'kafka kill -9 + restart',
  'postgres restart -m fast',
  'postgres restart -m immediate',
  'mosquitto restart (SIGTERM)',
  'mosquitto kill -9',
  'mosquitto kill -9 with a backlog queued (gateway down)',
];

export interface FaultResult {
  fault: FaultName;
  /** How long the component was down on purpose before it was started again (0: restarted at once). */
  downSeconds: number;
  acknowledged: number;
  stored: number;
  lost: number;
  duplicated: number;
  storedUnacked: number;
  /** Sentinel alerts: out-of-range readings published during the outage. */
  alertsDue: number;
  alertsDelivered: number;
  alertsDuplicated: number;
  /** From the fault to the first reading stored that was published after it. */
  storeRecoverySeconds: number | null;
  /** From the fault to the sentinel alert visible in the worklist tables. */
  alertRecoverySeconds: number | null;
  /** From the fault to every message acknowledged before the repair being stored. */
  drainedSeconds: number | null;
  notes: string[];
  /** Up to 20 lost messages: when they were published and acknowledged, ms from the fault. */
  lostSamples: { deviceId: string; messageId: string; publishedMs: number; ackedMs: number }[];
}

export interface SuiteOptions {
  slot: StackSlot;
  faults: FaultName[];
  devices?: number;
  ratePerSecond?: number;
  /** How long a killed component stays down before it is started again. */
  downMs?: number;
  /** Steady load before the first fault and between faults. */
  settleMs?: number;
  log?: (line: string) => void;
}

export interface SuiteReport {
  startedAt: string;
  ratePerSecond: number;
  devices: number;
  results: FaultResult[];
  total: Tally;
  /** Consumer lag once the load stopped (must be 0). */
  finalLag: Record<string, number>;
  /** Services that exited by themselves (restarted by the suite's supervisor, as systemd would). */
  selfExits: string[];
  seconds: number;
}

interface Window {
  fault: FaultName;
  from: number;
  to: number;
  faultAt: number;
  repairedAt: number;
  downMs: number;
  sentinels: Sentinel[];
  stopWatching: () => void;
  notes: string[];
}

const SERVICE_OF: Partial<Record<FaultName, ServiceName>> = {
  'ingest-gateway kill -9': 'ingest-gateway',
  'vitals-store kill -9': 'vitals-store',
  'rules-engine kill -9': 'rules-engine',
  'care-api kill -9': 'care-api',
};

export class FaultSuite {
  readonly stack: PrivateStack;
  harness!: PipelineHarness;
  store!: StoreReader;
  readonly log = new DeviceLog();
  private load!: SteadyLoad;
  private fleet: FleetDevice[] = [];
  private readonly windows: Window[] = [];
  private readonly selfExits: string[] = [];
  /** Services the suite has killed on purpose right now (the supervisor leaves them alone). */
  private readonly downOnPurpose = new Set<ServiceName>();
  private supervisor: NodeJS.Timeout | null = null;
  private readonly say: (line: string) => void;
  private currentFault: FaultName | 'steady' = 'steady';
  private readonly savedEnv: Record<string, string | undefined> = {};

  constructor(private readonly options: SuiteOptions) {
    this.stack = new PrivateStack(options.slot);
    this.say = options.log ?? ((line) => console.log(line));
  }

  get rate(): number {
    return this.options.ratePerSecond ?? 40;
  }

  /** Private stack up, services started on it, the fleet enrolled and publishing. */
  async setUp(): Promise<void> {
    await this.stack.up(this.say);
    // The harness and the test clients read the brokers from the environment (over .rpm/local.env).
    for (const k of Object.keys(this.stack.clientEnv)) this.savedEnv[k] = process.env[k];
    Object.assign(process.env, this.stack.clientEnv);
    this.harness = new PipelineHarness(
      { ...this.stack.clientEnv, INGEST_MQTT_CONNECTIONS: '4', INGEST_SESSION_EXPIRY_SECONDS: '3600' },
      { ports: this.options.slot.services, logDir: this.stack.logDir },
    );
    await this.harness.start();
    this.store = new StoreReader(this.stack.databaseUrl);
    this.fleet = await enrolFleet(this.harness, this.options.devices ?? 10);
    this.load = new SteadyLoad(this.fleet, this.log, this.rate);
    this.startSupervisor();
    this.load.start();
    this.say(`steady load: ${this.rate} messages/s from ${this.fleet.length} devices (QoS 1, each its own credentials)`);
  }

  /** Restarts a service that died by itself (not one the suite killed), as a process supervisor would. */
  private startSupervisor(): void {
    let busy = false;
    this.supervisor = setInterval(() => {
      if (busy) return;
      busy = true;
      void (async () => {
        for (const [name, svc] of Object.entries(this.harness.services) as [ServiceName, (typeof this.harness.services)[ServiceName]][]) {
          if (!svc.exited || this.downOnPurpose.has(name)) continue;
          const what = `${name} exited by itself during "${this.currentFault}" (restarted by the supervisor)`;
          this.selfExits.push(what);
          this.windows[this.windows.length - 1]?.notes.push(`${name} exited by itself; restarted`);
          this.say(`  ! ${what}`);
          await svc.start({ timeoutMs: 120_000 }).catch((e: unknown) => this.say(`  ! ${name} restart failed: ${String(e)}`));
        }
      })().finally(() => {
        busy = false;
      });
    }, 1000);
  }

  async run(): Promise<SuiteReport> {
    const t0 = Date.now();
    const settle = this.options.settleMs ?? 5_000;
    let from = Date.now();
    await sleep(settle);
    for (const fault of this.options.faults) {
      this.currentFault = fault;
      this.say(`fault: ${fault}`);
      const w = await this.inject(fault, from);
      try {
        await this.awaitRecovery(w);
      } finally {
        w.stopWatching();
      }
      this.currentFault = 'steady';
      await sleep(settle);
      w.to = Date.now();
      from = w.to;
    }
    await this.load.stop();
    const stopAt = Date.now();
    this.say(`load stopped after ${this.load.sent} messages; waiting for the pipeline to drain`);
    await this.waitAllStored(0, Infinity, 180_000);
    const finalLag = await this.waitLagZero();
    const results: FaultResult[] = [];
    const all = [...this.log.messages.values()];
    const stored = await this.store.storedByMessage(this.fleet.map((d) => d.registration.deviceId).concat(this.sentinelDeviceIds()));
    for (const w of this.windows) results.push(await this.result(w, stored));
    return {
      startedAt: new Date(t0).toISOString(),
      ratePerSecond: this.rate,
      devices: this.fleet.length,
      results,
      total: tally(all, stored),
      finalLag,
      selfExits: this.selfExits,
      seconds: Math.round((stopAt - t0) / 1000),
    };
  }

  private sentinelDeviceIds(): string[] {
    return this.windows.flatMap((w) => w.sentinels.map((s) => s.device.registration.deviceId));
  }

  private async inject(fault: FaultName, from: number): Promise<Window> {
    const downMs = this.options.downMs ?? 5_000;
    // Sentinel patients (registered before the fault: care-api may be the one that fails).
    const sentinels: Sentinel[] = (await enrolFleet(this.harness, 2, 2)).map((device) => ({ device, messageId: '', publishedAt: 0, visibleAt: null }));
    const w: Window = { fault, from, to: Infinity, faultAt: 0, repairedAt: 0, downMs: 0, sentinels, stopWatching: watchSentinels(this.store, sentinels).stop, notes: [] };
    this.windows.push(w);
    // An out-of-range reading is due right after the fault, a second one halfway through the outage.
    const publishSentinel = (i: number) => {
      const s = sentinels[i]!;
      s.messageId = `sentinel-${this.harness.runId}-${this.windows.length}-${i}`;
      s.publishedAt = Date.now();
      void this.log.publish(s.device, crisisBloodPressure(), s.messageId);
    };
    const service = SERVICE_OF[fault];
    w.faultAt = Date.now();
    const sentinelTimers = [setTimeout(() => publishSentinel(0), 200), setTimeout(() => publishSentinel(1), Math.max(400, downMs / 2))];
    if (service) {
      this.downOnPurpose.add(service);
      await this.harness.services[service].stop('SIGKILL');
      await sleep(downMs);
      w.repairedAt = Date.now();
      await this.harness.services[service].start({ timeoutMs: 120_000 });
      this.downOnPurpose.delete(service);
    } else if (fault === 'kafka kill -9 + restart') {
      await this.stack.kill9('kafka');
      await sleep(downMs);
      w.repairedAt = Date.now();
      await this.stack.startKafka();
    } else if (fault === 'postgres restart -m fast' || fault === 'postgres restart -m immediate') {
      await this.stack.restartPostgres(fault.endsWith('fast') ? 'fast' : 'immediate');
      w.repairedAt = Date.now();
    } else if (fault === 'mosquitto restart (SIGTERM)') {
      await this.stack.stopMosquitto();
      w.repairedAt = Date.now();
      await this.stack.startMosquitto();
    } else if (fault === 'mosquitto kill -9') {
      await this.stack.kill9('mosquitto');
      w.repairedAt = Date.now();
      await this.stack.startMosquitto();
    } else if (fault === 'mosquitto kill -9 with a backlog queued (gateway down)') {
      // The gateway stops first (SIGTERM), so acknowledged messages queue in its sessions on
      // the broker; the broker then crashes (ADR 0002: up to autosave_interval of them).
      this.downOnPurpose.add('ingest-gateway');
      await this.harness.services['ingest-gateway'].stop('SIGTERM');
      await sleep(downMs);
      w.faultAt = Date.now();
      sentinelTimers.forEach(clearTimeout);
      publishSentinel(0);
      await sleep(300);
      publishSentinel(1);
      await sleep(300);
      await this.stack.kill9('mosquitto');
      w.repairedAt = Date.now();
      await this.stack.startMosquitto();
      await this.harness.services['ingest-gateway'].start({ timeoutMs: 120_000 });
      this.downOnPurpose.delete('ingest-gateway');
      w.notes.push(`gateway stopped ${downMs / 1000}s before the crash`);
    }
    w.downMs = w.repairedAt - w.faultAt;
    return w;
  }

  private async awaitRecovery(w: Window): Promise<void> {
    const deadline = Date.now() + 180_000;
    let lastUnstored = -1;
    let unchangedSince = Date.now();
    for (;;) {
      const now = Date.now();
      const unstored = await this.unstored(w.from, w.repairedAt);
      if (unstored !== lastUnstored) {
        lastUnstored = unstored;
        unchangedSince = now;
      }
      // New readings flow again: one published after the repair is stored.
      const newStored = await this.storedSince(w.repairedAt);
      if (unstored === 0 && w.sentinels.every((s) => s.visibleAt !== null) && newStored !== null) return;
      // Messages the broker lost never arrive: once new readings flow and nothing changed for 30 s, stop waiting.
      if (newStored !== null && now - unchangedSince > 30_000) {
        w.notes.push(`${unstored} acknowledged messages still unstored 30 s after new readings flowed again`);
        this.say(`  ! ${w.notes[w.notes.length - 1]}`);
        return;
      }
      if (now > deadline) {
        w.notes.push(`not recovered after 180 s: ${unstored} acknowledged messages unstored, ${w.sentinels.filter((s) => s.visibleAt === null).length} sentinel alerts missing`);
        this.say(`  ! ${w.notes[w.notes.length - 1]}`);
        return;
      }
      await sleep(250);
    }
  }

  private async unstored(from: number, to: number): Promise<number> {
    const acked = this.log.acked(from, to);
    const stored = await this.store.storedByMessage([...new Set(acked.map((m) => m.deviceId))]);
    return acked.filter((m) => !stored.has(`${m.deviceId}/${m.messageId}`)).length;
  }

  /** The earliest stored_at of a steady-load message published at or after `t`, or null while none is stored. */
  private async storedSince(t: number): Promise<number | null> {
    const recent = this.log.acked(t).filter((m) => !m.messageId.startsWith('sentinel-')).slice(0, 400);
    if (recent.length === 0) return null;
    const stored = await this.store.storedByMessage([...new Set(recent.map((m) => m.deviceId))]).catch(() => new Map<string, { firstStoredAt: number }>());
    const times = recent.map((m) => stored.get(`${m.deviceId}/${m.messageId}`)?.firstStoredAt).filter((x): x is number => x !== undefined);
    return times.length ? Math.min(...times) : null;
  }

  private async waitAllStored(from: number, to: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.unstored(from, to)) > 0 && Date.now() < deadline) await sleep(1000);
  }

  private async waitLagZero(timeoutMs = 120_000): Promise<Record<string, number>> {
    const groups: [string, string][] = [
      [this.harness.groupId('vitals-store'), Topics.observations.name],
      [this.harness.groupId('rules-engine'), Topics.observations.name],
      [this.harness.groupId('care-api'), Topics.alerts.name],
    ];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lags = await Promise.all(groups.map(([g, t]) => consumerGroupLag(this.harness.kafka, g, t).catch(() => -1)));
      const out = Object.fromEntries(groups.map(([g, t], i) => [`${g.replace(/^e2e-[^-]+-0-/, '')} (${t})`, lags[i]!]));
      if (lags.every((l) => l === 0) || Date.now() > deadline) return out;
      await sleep(1000);
    }
  }

  private async result(w: Window, stored: Awaited<ReturnType<StoreReader['storedByMessage']>>): Promise<FaultResult> {
    const msgs = [...this.log.messages.values()].filter((m) => m.publishedAt >= w.from && m.publishedAt < w.to && !m.messageId.startsWith('sentinel-'));
    const t = tally(msgs, stored);
    // Store recovery: the first reading published after the fault that reached the store.
    const after = msgs.filter((m) => m.publishedAt >= w.faultAt && m.ackedAt !== null);
    const firstStored = Math.min(...after.map((m) => stored.get(`${m.deviceId}/${m.messageId}`)?.firstStoredAt ?? Infinity));
    const beforeRepair = msgs.filter((m) => m.publishedAt < w.repairedAt && m.ackedAt !== null);
    const lastDrained = Math.max(...beforeRepair.map((m) => stored.get(`${m.deviceId}/${m.messageId}`)?.firstStoredAt ?? Infinity));
    const obs = w.sentinels.map(sentinelObservationId);
    const alerts = await this.store.alertsByObservation(obs);
    const rows = await this.store.alertRowsByPatient(w.sentinels.map((s) => s.device.patientId));
    const sentinelMsgs = w.sentinels.map((s) => this.log.messages.get(s.messageId));
    const visible = w.sentinels.map((s) => s.visibleAt).filter((v): v is number => v !== null);
    return {
      fault: w.fault,
      downSeconds: round(w.downMs / 1000),
      ...t,
      alertsDue: sentinelMsgs.filter((m) => m?.ackedAt != null).length,
      alertsDelivered: w.sentinels.filter((s) => alerts.has(sentinelObservationId(s))).length,
      alertsDuplicated:
        [...alerts.values()].filter((a) => a.keys > 1 || a.alerts > 1).length + [...rows.values()].filter((n) => n > 1).length,
      storeRecoverySeconds: Number.isFinite(firstStored) ? round((firstStored - w.faultAt) / 1000) : null,
      alertRecoverySeconds: visible.length === w.sentinels.length ? round((Math.max(...visible) - w.faultAt) / 1000) : null,
      drainedSeconds: Number.isFinite(lastDrained) ? round(Math.max(0, lastDrained - w.faultAt) / 1000) : null,
      notes: w.notes,
      lostSamples: msgs
        .filter((m) => m.ackedAt !== null && !stored.has(`${m.deviceId}/${m.messageId}`))
        .slice(0, 20)
        .map((m) => ({ deviceId: m.deviceId, messageId: m.messageId, publishedMs: m.publishedAt - w.faultAt, ackedMs: (m.ackedAt ?? 0) - w.faultAt })),
    };
  }

  async tearDown(): Promise<void> {
    if (this.supervisor) clearInterval(this.supervisor);
    await this.load?.stop(5_000).catch(() => undefined);
    await this.harness?.stop().catch((e: unknown) => this.say(`harness stop: ${String(e)}`));
    await this.store?.end().catch(() => undefined);
    await this.stack.down();
    for (const [k, v] of Object.entries(this.savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const round = (x: number) => Math.round(x * 10) / 10;
