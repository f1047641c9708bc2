import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Topics, type RulesStateV1, type TopicDefinition } from '@rpm/contracts';
import { EMPTY_MONITOR_STATE, parseMonitorState, type MonitorState } from '@rpm/clinical-rules';
import { CompactedTable, KAFKA, KafkaLifecycle, ensureChangelogTopic, type Kafka, type OutgoingRecord } from '@rpm/kafka';
import { RULES_ENGINE_CONFIG, type RulesEngineConfig } from '../config/rules-engine.config';
import { JsonLogger, counter } from '@rpm/service-kit';

const unreadableStates = counter('rpm_rules_state_unreadable_total', 'Patient states in the changelog that failed to parse (the patient starts afresh)');

/**
 * Whether `incoming` was computed from fewer readings of the same partition than `current`: a
 * member that lost its partitions mid-batch may write after the new owner. Unreadable positions
 * count as not older (the later record wins, as compaction would have it).
 */
export function isOlderState(incoming: Record<string, unknown>, current: Record<string, unknown>): boolean {
  const position = (state: Record<string, unknown>): [number, number] | null => {
    const pos = state['pos'];
    return Array.isArray(pos) && pos.length === 2 && typeof pos[0] === 'number' && typeof pos[1] === 'number' ? [pos[0], pos[1]] : null;
  };
  const a = position(incoming);
  const b = position(current);
  return a !== null && b !== null && a[0] === b[0] && a[1] < b[1];
}

/**
 * Per-patient monitor state (docs/adr/0006): the compacted changelog rpm.rules.state.v1 is the
 * durable copy, written with each batch's alerts before its offsets are committed; this
 * instance reads all of it at start and keeps tailing it. States this instance changed since
 * its last (re)join are held in `live`, ahead of the changelog's echo of them.
 *
 * After a rebalance the new owner of a partition waits until the changelog has been read to
 * its end (which includes every state the previous owner wrote before committing), then
 * drops `live`, so no stale copy survives a partition that moved away and back.
 */
@Injectable()
export class PatientStateStore implements OnModuleInit {
  private readonly log = new JsonLogger('rules-engine');
  private readonly table: CompactedTable<typeof Topics.rulesState.schema>;
  private readonly live = new Map<string, MonitorState>();
  private readonly partitionOfPatient = new Map<string, number>();
  private assigned = new Set<number>();
  private syncNeeded = false;
  private syncing: Promise<void> | null = null;

  readonly topic: TopicDefinition<typeof Topics.rulesState.schema>;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(RULES_ENGINE_CONFIG) config: RulesEngineConfig,
    private readonly lifecycle: KafkaLifecycle,
  ) {
    this.topic = { ...Topics.rulesState, name: config.RULES_ENGINE_STATE_TOPIC };
    this.table = new CompactedTable(kafka, this.topic, 'rules-engine-state', this.log, (incoming, current) => !isOlderState(incoming.state, current.state));
  }

  async onModuleInit(): Promise<void> {
    await ensureChangelogTopic(this.kafka, this.topic.name, Topics.observations.name);
    await this.table.start(120_000);
    this.lifecycle.onStop(() => this.table.stop());
  }

  get ready(): boolean {
    return this.table.isCaughtUp;
  }

  /** The group gave this member new partitions: read the changelog to its end before the next batch. */
  onAssignment(partitions: number[]): void {
    this.assigned = new Set(partitions);
    this.syncNeeded = true;
  }

  /**
   * One sync per (re)join, shared by every caller: the batches of several partitions and the AD-01
   * sweep all wait for the same read to the changelog's end, and `live` is cleared once, before
   * any of them goes on (a second clear in the middle of a batch would drop that batch's states).
   */
  syncIfReassigned(): Promise<void> {
    if (!this.syncNeeded) return this.syncing ?? Promise.resolve();
    this.syncing ??= this.table
      .waitForLatest(30_000)
      .then((caughtUp) => {
        if (!caughtUp) throw new Error('the rules state changelog is not caught up');
        this.syncNeeded = false;
        this.live.clear();
      })
      .finally(() => {
        this.syncing = null;
      });
    return this.syncing;
  }

  get(patientId: string): MonitorState {
    const live = this.live.get(patientId);
    if (live) return live;
    const record = this.table.get(patientId);
    if (!record) return EMPTY_MONITOR_STATE;
    try {
      return parseMonitorState(record.state);
    } catch (error) {
      // A state the library no longer reads must not stall the partition: start afresh, loudly.
      unreadableStates.inc();
      this.log.error('unreadable patient state; starting from empty', { patientId, error: (error as Error).message });
      return EMPTY_MONITOR_STATE;
    }
  }

  /** Keeps the patient's new state; publish it with changelogRecords before committing. */
  set(patientId: string, state: MonitorState, partition: number): void {
    this.live.set(patientId, state);
    this.partitionOfPatient.set(patientId, partition);
  }

  /**
   * The changelog records of these patients' current states, built when called: a batch and an
   * AD-01 sweep that touched the same patient both publish its newest state, whatever their order.
   */
  changelogRecords(computed: ReadonlyMap<string, MonitorState>, now: Date): OutgoingRecord<RulesStateV1>[] {
    return [...computed].map(([patientId, state]) => ({
      key: patientId,
      // The newest: what is live now (an AD-01 sweep may have moved it on), else what the caller computed.
      value: { schema: 'rpm.rules-state.v1', patientId, state: (this.live.get(patientId) ?? state) as unknown as Record<string, unknown>, updatedAt: now.toISOString() },
    }));
  }

  /** Patients with state in the partitions this member owns now (the AD-01 timers it runs). */
  *ownedPatients(): IterableIterator<string> {
    const seen = new Set<string>();
    for (const [patientId, partition] of this.partitionOfPatient) {
      seen.add(patientId);
      if (this.assigned.has(partition)) yield patientId;
    }
    for (const patientId of this.table.keys()) {
      if (seen.has(patientId)) continue;
      const partition = this.table.partitionOf(patientId);
      if (partition !== undefined && this.assigned.has(partition)) yield patientId;
    }
  }

  partitionOf(patientId: string): number | undefined {
    return this.partitionOfPatient.get(patientId) ?? this.table.partitionOf(patientId);
  }
}
