import { instantColumn, numberColumn } from '@chip-ledger/persistence';
import type { Actor } from '@chip-ledger/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A row of a context store's `events` table (one table per context schema; the entity names none, the reader's
 * transaction points the search path at the store it reads). Appends never go through it: they are one call of the
 * store's append function (migrations 0002-0006), which also finishes the hash chain. The writing transaction's id
 * (`tx_id`, xid8, for the commit-safe readers) is left out: TypeORM has no such type, and only raw SQL reads it.
 */
@Entity({ name: 'events' })
export class StoredEventRecord {
  @PrimaryColumn('bigint', { name: 'global_position', transformer: numberColumn }) globalPosition!: number;
  @Column('uuid', { name: 'event_id', unique: true }) eventId!: string;
  @Column('text', { name: 'stream_id' }) streamId!: string;
  @Column('integer') version!: number;
  @Column('text') type!: string;
  @Column('integer', { name: 'schema_version' }) schemaVersion!: number;
  @Column('timestamptz', { name: 'occurred_at', transformer: instantColumn }) occurredAt!: string;
  /** Exactly the instant that was hashed (milliseconds, ISO). */
  @Column('timestamptz', { name: 'recorded_at', transformer: instantColumn }) recordedAt!: string;
  @Column('jsonb') actor!: Actor;
  @Column('text', { name: 'correlation_id' }) correlationId!: string;
  @Column('text', { name: 'causation_id', nullable: true }) causationId!: string | null;
  @Column('jsonb') data!: unknown;
  @Column('text', { name: 'prev_hash' }) prevHash!: string;
  @Column('text') hash!: string;
}
