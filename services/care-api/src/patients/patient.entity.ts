import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Program, ProtocolOverride, Spo2Scale } from '@rpm/contracts';

@Entity('patients')
export class PatientEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') mrn!: string;
  @Column('text') name!: string;
  @Column('text') timezone!: string;
  @Column('text', { array: true }) programs!: Program[];
  @Column('smallint', { name: 'spo2_scale' }) spo2Scale!: Spo2Scale;
  @Column('text', { name: 'care_team_id' }) careTeamId!: string;
  @Column('int', { name: 'protocol_version' }) protocolVersion!: number;
  @Column('jsonb', { name: 'protocol_overrides', default: () => "'[]'" }) protocolOverrides!: ProtocolOverride[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
