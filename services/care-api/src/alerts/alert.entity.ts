import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AlertExplanation, AlertStatus, Severity } from '@rpm/contracts';

@Entity('alerts')
export class AlertEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'patient_id' }) patientId!: string;
  @Column('text', { name: 'rule_id' }) ruleId!: string;
  @Column('text', { name: 'rule_source' }) ruleSource!: string;
  @Column('text') severity!: Severity;
  @Column('smallint', { name: 'severity_rank' }) severityRank!: number;
  @Column('text') kind!: 'alert' | 'recheck';
  @Column('text') status!: AlertStatus;
  @Column('text') summary!: string;
  @Column('text') threshold!: string;
  @Column('boolean') retrospective!: boolean;
  @Column('timestamptz', { name: 'raised_at' }) raisedAt!: Date;
  @Column('timestamptz', { name: 'measured_at' }) measuredAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'acknowledged_at', nullable: true }) acknowledgedAt!: Date | null;
  @Column('text', { name: 'acknowledged_by', nullable: true }) acknowledgedBy!: string | null;
  @Column('timestamptz', { name: 'resolved_at', nullable: true }) resolvedAt!: Date | null;
  @Column('text', { name: 'resolved_by', nullable: true }) resolvedBy!: string | null;
  @Column('text', { nullable: true }) disposition!: string | null;
  @Column('text', { nullable: true }) note!: string | null;
  @Column('jsonb', { nullable: true }) explanation!: AlertExplanation | null;
  @Column('int') breaches!: number;
  @Column('timestamptz', { name: 'returned_to_normal_at', nullable: true }) returnedToNormalAt!: Date | null;
  /** The rules engine's episode (its first breach); null for alerts raised before episodes existed. */
  @Column('timestamptz', { name: 'episode_opened_at', nullable: true }) episodeOpenedAt!: Date | null;
  @Column('text', { name: 'assigned_to', nullable: true }) assignedTo!: string | null;
  @Column('timestamptz', { name: 'assigned_at', nullable: true }) assignedAt!: Date | null;
  /** Set while a snooze of (patient, rule) hides the alert; cleared when the snooze ends. */
  @Column('timestamptz', { name: 'snoozed_until', nullable: true }) snoozedUntil!: Date | null;
  /** Acknowledgement due by the severity's target; an open alert past it escalates. */
  @Column('timestamptz', { name: 'acknowledge_by' }) acknowledgeBy!: Date;
  @Column('timestamptz', { name: 'escalated_at', nullable: true }) escalatedAt!: Date | null;
  @Column('text', { name: 'escalated_to', nullable: true }) escalatedTo!: string | null;
}
