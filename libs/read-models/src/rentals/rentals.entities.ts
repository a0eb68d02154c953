import { instantColumn, numberColumn } from '@chip-ledger/persistence';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A capacity rental as its facts so far say (null: no fact said yet; a later fact may arrive first). */
@Entity({ name: 'rentals' })
export class RentalRecord {
  @PrimaryColumn('text', { name: 'rental_id' }) rentalId!: string;
  @Column('text', { name: 'provider_data_center_id', nullable: true }) providerDataCenterId!: string | null;
  @Column('text', { name: 'tenant_organisation_id', nullable: true }) tenantOrganisationId!: string | null;
  @Column('text', { name: 'model_id', nullable: true }) modelId!: string | null;
  @Column('bigint', { name: 'chip_count', nullable: true, transformer: numberColumn }) chipCount!: number | null;
  @Column('text', { nullable: true }) purpose!: string | null;
  @Column('timestamptz', { name: 'period_start', nullable: true, transformer: instantColumn }) periodStart!: string | null;
  @Column('timestamptz', { name: 'period_end', nullable: true, transformer: instantColumn }) periodEnd!: string | null;
  @Column('timestamptz', { name: 'started_at', nullable: true, transformer: instantColumn }) startedAt!: string | null;
  @Column('integer', { default: 0 }) extensions!: number;
  @Column('timestamptz', { name: 'ended_at', nullable: true, transformer: instantColumn }) endedAt!: string | null;
  @Column('text', { name: 'end_reason', nullable: true }) endReason!: string | null;
  @Column('timestamptz', { name: 'updated_at', transformer: instantColumn }) updatedAt!: string;
}

/** Which organisation owns each provider data center. */
@Entity({ name: 'rental_providers' })
export class RentalProvider {
  @PrimaryColumn('text', { name: 'data_center_id' }) dataCenterId!: string;
  @Column('text', { name: 'owner_organisation_id' }) ownerOrganisationId!: string;
}

export const RENTALS_ENTITIES = [RentalRecord, RentalProvider] as const;
