import { instantColumn, numberColumn } from '@chip-ledger/persistence';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far a relay has published its store, in commit-safe order (its transaction id, xid8, is read by raw SQL only). */
@Entity({ name: 'relay_checkpoints' })
export class RelayCheckpointRecord {
  @PrimaryColumn('text', { name: 'relay_name' }) relayName!: string;
  @Column('bigint', { transformer: numberColumn }) position!: number;
  @Column('timestamptz', { name: 'updated_at', transformer: instantColumn }) updatedAt!: string;
}
