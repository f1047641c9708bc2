import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ProtocolOverride } from '@rpm/contracts';

/** One change of a patient's overrides (version 2 and up). */
@Entity('patient_protocol_versions')
export class PatientProtocolVersionEntity {
  @PrimaryColumn('uuid', { name: 'patient_id' }) patientId!: string;
  @PrimaryColumn('int') version!: number;
  @Column('jsonb') overrides!: ProtocolOverride[];
  @Column('text') reason!: string;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('int', { name: 'rolled_back_from', nullable: true }) rolledBackFrom!: number | null;
}
