import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { DeviceKind } from '@rpm/contracts';

@Entity('devices')
export class DeviceEntity {
  @PrimaryColumn('text', { name: 'device_id' }) deviceId!: string;
  @Column('uuid', { name: 'patient_id' }) patientId!: string;
  @Column('text') kind!: DeviceKind;
  /** scrypt hash: the password itself is returned once at registration and never stored. */
  @Column('text', { name: 'password_hash' }) passwordHash!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  /** Set once: the broker refuses the device from then on (its session is kicked). */
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
  @Column('text', { name: 'revoked_by', nullable: true }) revokedBy!: string | null;
  @Column('timestamptz', { name: 'password_rotated_at', nullable: true }) passwordRotatedAt!: Date | null;
}
