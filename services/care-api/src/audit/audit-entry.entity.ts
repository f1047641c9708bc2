import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Who read or changed which patient data, when, and with what outcome. */
@Entity('audit_log')
export class AuditEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column('timestamptz', { default: () => 'now()' }) at!: Date;
  @Column('text') actor!: string;
  @Column('text') role!: string;
  @Column('text') action!: string;
  @Column('text', { name: 'resource_type' }) resourceType!: string;
  @Column('text', { name: 'resource_id', nullable: true }) resourceId!: string | null;
  @Column('uuid', { name: 'patient_id', nullable: true }) patientId!: string | null;
  @Column('smallint') outcome!: number;
  @Column('text', { name: 'source_ip', nullable: true }) sourceIp!: string | null;
}
