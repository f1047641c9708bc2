import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { AlertSignalV1 } from '@rpm/contracts';
import { checkSilence, type MonitorState } from '@rpm/clinical-rules';
import { JsonLogger, PeriodicTask } from '@rpm/service-kit';
import { Clock } from '../clock/clock';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { EvaluationService } from '../evaluation/evaluation.service';
import { PatientProtocols } from '../protocols/patient-protocols';
import { PatientStateStore } from '../state/patient-state.store';

/**
 * AD-01 timers, partition-aware: each instance checks only the patients whose partitions it
 * owns now, on the states the changelog gave it, so a partition that moves takes its timers
 * along. A check that races a rebalance on two instances raises the same alert key (derived
 * from the silence's start): the worklist keeps it once.
 */
@Injectable()
export class SilenceMonitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask<number>;

  constructor(
    @Inject(RULES_ENGINE_CONFIG) config: RulesEngineConfig,
    private readonly clock: Clock,
    private readonly states: PatientStateStore,
    private readonly protocols: PatientProtocols,
    private readonly evaluation: EvaluationService,
  ) {
    this.task = new PeriodicTask('missing-data check', config.RULES_ENGINE_SILENCE_CHECK_MS, () => this.checkOwnedPatients(), new JsonLogger('rules-engine'));
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onModuleDestroy(): void {
    this.task.stop();
  }

  /** Checks every owned patient once (joining a sweep in progress); resolves with the AD-01 alerts raised. */
  async sweep(): Promise<number> {
    return (await this.task.runNow()) ?? 0;
  }

  private async checkOwnedPatients(): Promise<number> {
    await this.states.syncIfReassigned();
    const now = this.clock.now();
    const signals: AlertSignalV1[] = [];
    const changed = new Map<string, MonitorState>();
    for (const patientId of [...this.states.ownedPatients()]) {
      const protocol = this.protocols.knownProtocolOf(patientId);
      const partition = this.states.partitionOf(patientId);
      if (!protocol?.missingData || partition === undefined) continue;
      const result = checkSilence(this.states.get(patientId), patientId, protocol, now);
      if (result.signals.length === 0) continue;
      this.states.set(patientId, result.state, partition);
      changed.set(patientId, result.state);
      signals.push(...result.signals);
    }
    await this.evaluation.publish(signals, changed, now);
    return signals.length;
  }
}
