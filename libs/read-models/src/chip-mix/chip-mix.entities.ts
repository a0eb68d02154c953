import { instantColumn, numberColumn } from '@chip-ledger/persistence';
import type { ChipModelSpec, Eccn3A090Class } from '@chip-ledger/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

// The chip-mix read model's tables, in a generation's schema (prefixed: several read models may share a schema one
// day). Counts are raw running totals; derived figures (on order, rented out) are computed when read.

/** The catalog: the shipped models, then every ChipModelAdded/Corrected, classified (3A090, domestic). */
@Entity({ name: 'chip_mix_models' })
export class ChipMixModel {
  @PrimaryColumn('text', { name: 'model_id' }) modelId!: string;
  @Column('text') name!: string;
  @Column('text') vendor!: string;
  @Column('text', { name: 'vendor_headquarters' }) vendorHeadquarters!: string;
  @Column('text', { name: 'fab_country', nullable: true }) fabCountry!: string | null;
  @Column('boolean', { name: 'us_origin' }) usOrigin!: boolean;
  @Column('text', { name: 'eccn_class' }) eccnClass!: Eccn3A090Class;
  @Column('boolean') domestic!: boolean;
  @Column('jsonb') spec!: ChipModelSpec;
}

@Entity({ name: 'chip_mix_organisations' })
export class ChipMixOrganisation {
  @PrimaryColumn('text', { name: 'organisation_id' }) organisationId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'headquarters_country' }) headquartersCountry!: string;
  @Column('text', { name: 'ultimate_parent_headquarters_country' }) ultimateParentHeadquartersCountry!: string;
}

/** A data center's facts; null until a fact says (a delivery may be projected before its registration). */
@Entity({ name: 'chip_mix_data_centers' })
export class ChipMixDataCenter {
  @PrimaryColumn('text', { name: 'data_center_id' }) dataCenterId!: string;
  @Column('text', { nullable: true }) name!: string | null;
  @Column('text', { name: 'owner_organisation_id', nullable: true }) ownerOrganisationId!: string | null;
  @Column('text', { nullable: true }) country!: string | null;
  @Column('text', { nullable: true }) region!: string | null;
  @Column('timestamptz', { name: 'registered_at', nullable: true, transformer: instantColumn }) registeredAt!: string | null;
  @Column('boolean', { name: 'state_funded', default: false }) stateFunded!: boolean;
  @Column('timestamptz', { name: 'state_funded_at', nullable: true, transformer: instantColumn }) stateFundedAt!: string | null;
  @Column('numeric', { name: 'completion_percent', nullable: true, transformer: numberColumn }) completionPercent!: number | null;
  @Column('timestamptz', { name: 'completion_reported_at', nullable: true, transformer: instantColumn }) completionReportedAt!: string | null;
}

/** Per data center and chip model: running totals of each movement. */
@Entity({ name: 'chip_mix_counts' })
export class ChipMixCount {
  @PrimaryColumn('text', { name: 'data_center_id' }) dataCenterId!: string;
  @PrimaryColumn('text', { name: 'model_id' }) modelId!: string;
  @Column('bigint', { transformer: numberColumn }) ordered!: number;
  @Column('bigint', { transformer: numberColumn }) cancelled!: number;
  @Column('bigint', { transformer: numberColumn }) delivered!: number;
  @Column('bigint', { transformer: numberColumn }) installed!: number;
  @Column('bigint', { name: 'in_stock', transformer: numberColumn }) inStock!: number;
  @Column('bigint', { transformer: numberColumn }) removed!: number;
  @Column('bigint', { name: 'transferred_in', transformer: numberColumn }) transferredIn!: number;
  @Column('bigint', { name: 'transferred_out', transformer: numberColumn }) transferredOut!: number;
  @Column('timestamptz', { name: 'last_event_at', transformer: instantColumn }) lastEventAt!: string;
}

/** Rentals of a provider's chips ("rented out" is computed from them when read, for the instant asked). */
@Entity({ name: 'chip_mix_rentals' })
export class ChipMixRental {
  @PrimaryColumn('text', { name: 'rental_id' }) rentalId!: string;
  @Column('text', { name: 'data_center_id' }) dataCenterId!: string;
  @Column('text', { name: 'model_id' }) modelId!: string;
  @Column('bigint', { name: 'chip_count', transformer: numberColumn }) chipCount!: number;
  @Column('timestamptz', { name: 'period_start', transformer: instantColumn }) periodStart!: string;
  @Column('timestamptz', { name: 'period_end', transformer: instantColumn }) periodEnd!: string;
  @Column('timestamptz', { name: 'ended_at', nullable: true, transformer: instantColumn }) endedAt!: string | null;
}

export const CHIP_MIX_ENTITIES = [ChipMixModel, ChipMixOrganisation, ChipMixDataCenter, ChipMixCount, ChipMixRental] as const;
