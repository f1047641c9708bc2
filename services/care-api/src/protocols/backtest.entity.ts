import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BacktestComparison, ProtocolOverrideInput } from '@rpm/contracts';

export type BacktestStatus = 'running' | 'done' | 'cancelled' | 'failed';

@Entity('backtests')
export class BacktestEntity {
  @PrimaryColumn('uuid') id!: string;
  /** A programme version's backtest; null for a patient's draft overrides. */
  @Column('text', { nullable: true }) programme!: string | null;
  @Column('int', { nullable: true }) version!: number | null;
  @Column('uuid', { name: 'patient_id', nullable: true }) patientId!: string | null;
  @Column('jsonb', { name: 'draft_overrides', nullable: true }) draftOverrides!: ProtocolOverrideInput[] | null;
  /** Set by whichever instance got the cancel request; the instance running the job reads it. */
  @Column('boolean', { name: 'cancel_requested', default: false }) cancelRequested!: boolean;
  /** Moved on by the running instance; a running job whose heartbeat stopped is marked failed. */
  @Column('timestamptz', { name: 'heartbeat_at' }) heartbeatAt!: Date;
  @Column('text') status!: BacktestStatus;
  @Column('timestamptz', { name: 'period_from' }) periodFrom!: Date;
  @Column('timestamptz', { name: 'period_to' }) periodTo!: Date;
  @Column('int') done!: number;
  @Column('int') total!: number;
  @Column('jsonb', { nullable: true }) result!: BacktestComparison | null;
  @Column('text', { nullable: true }) error!: string | null;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
}
