import { EnumField, IdField, InstantField, OccurredAtField, QuantityField, TextField } from '@chip-ledger/http';
import type { RentalPurpose } from '@chip-ledger/domain';

const PURPOSES: readonly RentalPurpose[] = ['training', 'inference'];

export class StartRentalRequest {
  @IdField('Id of the rental (chosen by the client; also its stream id)') rentalId!: string;
  @IdField('Data center whose capacity is rented (owned by your organisation)') providerDataCenterId!: string;
  @IdField('Organisation renting the capacity (must be registered)') tenantOrganisationId!: string;
  @IdField('Chip model rented (from the catalog)') modelId!: string;
  @QuantityField('Chips rented (at most those installed at the provider)') chipCount!: number;
  @EnumField(PURPOSES, 'What the tenant uses the capacity for; training for a D:5 tenant is a red flag') purpose!: RentalPurpose;
  @InstantField('Start of the rented period (inclusive)') periodStart!: string;
  @InstantField('End of the rented period (exclusive)') periodEnd!: string;
  @OccurredAtField() occurredAt?: string;
}

export class ExtendRentalRequest {
  @InstantField('New end of the rented period (exclusive); later than the current end') newPeriodEnd!: string;
  @OccurredAtField() occurredAt?: string;
}

export class EndRentalRequest {
  @TextField('Why it ended (e.g. early termination, tenant request)', { nullable: true, maxLength: 2000 }) reason?: string | null;
  @OccurredAtField() occurredAt?: string;
}
