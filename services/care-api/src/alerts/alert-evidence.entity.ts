import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A reading that triggered (or later re-triggered) an alert. */
@Entity('alert_evidence')
export class AlertEvidenceEntity {
  @PrimaryColumn('uuid', { name: 'alert_key' }) alertKey!: string;
  @PrimaryColumn('smallint') component!: number;
  @Column('uuid', { name: 'alert_id' }) alertId!: string;
  @Column('text', { name: 'observation_id' }) observationId!: string;
  @Column('text') code!: string;
  @Column('double precision') value!: number;
  @Column('text') unit!: string;
  @Column('double precision', { name: 'original_value', nullable: true }) originalValue!: number | null;
  @Column('text', { name: 'original_unit', nullable: true }) originalUnit!: string | null;
  @Column('timestamptz', { name: 'measured_at' }) measuredAt!: Date;
}
