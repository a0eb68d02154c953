import { instantColumn, numberColumn } from '@chip-ledger/persistence';
import { formatUsdCents, usdCents } from '@chip-ledger/domain';
import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';

// `used` is never stored: it is the sum of `licence_usages` whose data center belongs to the licence's consignee
// (`licence_data_centers`), so a usage that reaches the projection before its licence or its data center's
// registration (another partition) counts once both have arrived, whatever the order. A usage by anyone else is a
// fact compliance flags (consignee mismatch), not a draw on the licence (ADR 0018).

/** An export licence as last issued, amended, suspended, reinstated or revoked (null: no fact said yet). */
@Entity({ name: 'licence_balances' })
export class LicenceBalance {
  @PrimaryColumn('text', { name: 'licence_id' }) licenceId!: string;
  @Column('text', { name: 'licence_number', nullable: true }) licenceNumber!: string | null;
  @Column('text', { nullable: true }) exporter!: string | null;
  @Column('text', { name: 'consignee_organisation_id', nullable: true }) consigneeOrganisationId!: string | null;
  @Column('text', { name: 'destination_country', nullable: true }) destinationCountry!: string | null;
  @Column('jsonb', { name: 'model_ids', nullable: true }) modelIds!: string[] | null;
  @Column('bigint', { nullable: true, transformer: numberColumn }) authorised!: number | null;
  @Column('timestamptz', { name: 'valid_from', nullable: true, transformer: instantColumn }) validFrom!: string | null;
  @Column('timestamptz', { name: 'valid_to', nullable: true, transformer: instantColumn }) validTo!: string | null;
  @Column('numeric', { name: 'revenue_share_percent', nullable: true, transformer: numberColumn }) revenueSharePercent!: number | null;
  @Column('text', { default: 'active' }) status!: 'active' | 'suspended' | 'revoked';
  @Column('text', { name: 'status_reason', nullable: true }) statusReason!: string | null;
  @Column('timestamptz', { name: 'issued_at', nullable: true, transformer: instantColumn }) issuedAt!: string | null;
  @Column('timestamptz', { name: 'updated_at', transformer: instantColumn }) updatedAt!: string;
}

/** A delivery or transfer-in citing a licence. */
@Entity({ name: 'licence_usages' })
export class LicenceUsage {
  @PrimaryColumn('text', { name: 'event_id' }) eventId!: string;
  @Column('text', { name: 'licence_id' }) licenceId!: string;
  @Column('text') kind!: 'delivery' | 'transfer-in';
  @Column('text') reference!: string;
  @Column('text', { name: 'data_center_id' }) dataCenterId!: string;
  @Column('text', { name: 'model_id' }) modelId!: string;
  @Column('bigint', { transformer: numberColumn }) quantity!: number;
  @Column('timestamptz', { name: 'occurred_at', transformer: instantColumn }) occurredAt!: string;
}

/**
 * PostgreSQL's numeric text as the API's amount, with two fraction digits: a v1 fact's JSON number 1250000.5 is stored
 * as 1250000.5 and answered as '1250000.50'. Never through a float.
 */
const usdColumn: ValueTransformer = {
  to: (value: string) => value,
  from: (value: string | null) => {
    const cents = usdCents(value);
    return cents === null ? value : formatUsdCents(cents);
  },
};

/** A revenue-share remittance under a licence (an exact decimal amount). */
@Entity({ name: 'licence_remittances' })
export class LicenceRemittance {
  @PrimaryColumn('text', { name: 'event_id' }) eventId!: string;
  @Column('text', { name: 'licence_id' }) licenceId!: string;
  @Column('text') reference!: string;
  @Column('jsonb', { name: 'delivery_ids' }) deliveryIds!: string[];
  /** Exact decimal (RevenueShareRemitted v2): read back as PostgreSQL's numeric text, never a float. */
  @Column('numeric', { name: 'amount_usd', transformer: usdColumn }) amountUsd!: string;
  @Column('timestamptz', { name: 'occurred_at', transformer: instantColumn }) occurredAt!: string;
}

/** Who owns a data center: a usage draws on a licence only when its data center's owner is the consignee. */
@Entity({ name: 'licence_data_centers' })
export class LicenceDataCenter {
  @PrimaryColumn('text', { name: 'data_center_id' }) dataCenterId!: string;
  @Column('text', { name: 'owner_organisation_id' }) ownerOrganisationId!: string;
}

export const LICENCE_BALANCES_ENTITIES = [LicenceBalance, LicenceUsage, LicenceRemittance, LicenceDataCenter] as const;
