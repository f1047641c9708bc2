import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BacktestResult } from '@rpm/clinical-rules';

export type BacktestStatus = 'running' | 'done' | 'cancelled' | 'failed';

@Entity('backtests')
export class BacktestEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') programme!: string;
  @Column('int') version!: number;
  @Column('text') status!: BacktestStatus;
  @Column('timestamptz', { name: 'period_from' }) periodFrom!: Date;
  @Column('timestamptz', { name: 'period_to' }) periodTo!: Date;
  @Column('int') done!: number;
  @Column('int') total!: number;
  @Column('jsonb', { nullable: true }) result!: BacktestResult | null;
  @Column('text', { nullable: true }) error!: string | null;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
}
