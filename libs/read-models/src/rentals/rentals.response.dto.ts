import { ApiProperty } from '@nestjs/swagger';
import type { RentalView } from './rentals.queries';

export class RentalResponse implements RentalView {
  @ApiProperty({ example: 'rent-qwen-training-2025' }) readonly rentalId!: string;
  @ApiProperty({ type: String, nullable: true, example: 'dc-jurong-1' }) readonly providerDataCenterId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Owner of the provider data center', example: 'sg-compute' }) readonly providerOrganisationId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'alibaba-cloud' }) readonly tenantOrganisationId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'nvidia-h100-sxm' }) readonly modelId!: string | null;
  @ApiProperty({ type: 'integer', example: 1024 }) readonly chipCount!: number;
  @ApiProperty({ type: String, nullable: true, enum: ['training', 'inference', null], example: 'training' }) readonly purpose!: RentalView['purpose'];
  @ApiProperty({ type: String, nullable: true, example: '2025-06-01T00:00:00.000Z' }) readonly periodStart!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2027-06-01T00:00:00.000Z' }) readonly periodEnd!: string | null;
  @ApiProperty({ enum: ['scheduled', 'active', 'expired', 'ended'], description: 'As of the request', example: 'active' }) readonly status!: 'scheduled' | 'active' | 'expired' | 'ended';
  @ApiProperty({ type: 'integer', description: 'How many times the period was extended', example: 1 }) readonly extensions!: number;
  @ApiProperty({ type: String, nullable: true, example: null }) readonly endedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) readonly endReason!: string | null;
}

export class RentalPage {
  @ApiProperty({ type: [RentalResponse], description: 'By rental id' }) readonly items!: readonly RentalResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as ?cursor= for the next page; null on the last page', example: null }) readonly nextCursor!: string | null;
}
