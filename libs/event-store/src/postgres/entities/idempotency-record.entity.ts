import { instantColumn } from '@chip-ledger/persistence';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The first answer to an idempotent command, kept so a retry with the same key gets it again (written by the append function). */
@Entity({ name: 'idempotency' })
export class IdempotencyRecord {
  @PrimaryColumn('text') scope!: string;
  @PrimaryColumn('text') key!: string;
  @Column('text', { name: 'request_hash' }) requestHash!: string;
  @Column('jsonb') result!: unknown;
  @Column('timestamptz', { name: 'recorded_at', transformer: instantColumn }) recordedAt!: string;
}
