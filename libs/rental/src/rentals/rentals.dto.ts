import { EnumField, IdField, InstantField, OccurredAtField, QuantityField, TextField } from '@chip-ledger/http';
import type { RentalPurpose } from '@chip-ledger/domain';

const PURPOSES: readonly RentalPurpose[] = ['training', 'inference'];

export class StartRentalRequest {
  @IdField('Id of the rental (chosen by the client; also its stream id)', { example: 'rent-qwen-training-2025' }) rentalId!: string;
  @IdField('Data center whose capacity is rented (owned by your organisation)', { example: 'dc-jurong-1' }) providerDataCenterId!: string;
  @IdField('Organisation renting the capacity (must be registered)', { example: 'alibaba-cloud' }) tenantOrganisationId!: string;
  @IdField('Chip model rented (from the catalog)', { example: 'nvidia-h100-sxm' }) modelId!: string;
  @QuantityField('Chips rented (at most those installed at the provider)', { example: 1024 }) chipCount!: number;
  @EnumField(PURPOSES, 'What the tenant uses the capacity for; training for a D:5 tenant is a red flag', { example: 'training' }) purpose!: RentalPurpose;
  @InstantField('Start of the rented period (inclusive)', { example: '2025-06-01' }) periodStart!: string;
  @InstantField('End of the rented period (exclusive)', { example: '2027-06-01' }) periodEnd!: string;
  @OccurredAtField('2025-05-20') occurredAt?: string;
}

export class ExtendRentalRequest {
  @InstantField('New end of the rented period (exclusive); later than the current end', { example: '2028-01-01' }) newPeriodEnd!: string;
  @OccurredAtField('2025-09-01') occurredAt?: string;
}

export class EndRentalRequest {
  @TextField('Why it ended (e.g. early termination, tenant request)', { nullable: true, maxLength: 2000, example: 'Tenant moved the workload to its own site' }) reason?: string | null;
  @OccurredAtField('2025-10-01') occurredAt?: string;
}
