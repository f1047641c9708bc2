import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ProtocolOverride } from '@rpm/contracts';

export type ProtocolVersionStatus = 'draft' | 'scheduled' | 'published' | 'superseded';

/** A version (2 and up) of a programme protocol; version 1 is the rules library's default. */
@Entity('protocol_versions')
export class ProtocolVersionEntity {
  @PrimaryColumn('text') programme!: string;
  @PrimaryColumn('int') version!: number;
  @Column('text') status!: ProtocolVersionStatus;
  @Column('jsonb') settings!: ProtocolOverride[];
  @Column('text') reason!: string;
  @Column('text', { name: 'created_by' }) createdBy!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'effective_at', nullable: true }) effectiveAt!: Date | null;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt!: Date | null;
  @Column('text', { name: 'published_by', nullable: true }) publishedBy!: string | null;
  @Column('int', { name: 'rolled_back_from', nullable: true }) rolledBackFrom!: number | null;
}
