import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, IsOptional, ValidateIf, ValidateNested } from 'class-validator';
import { BoundedNumber, CountryField, EachIdMatches, ID_SCHEMA, IdField, InstantField, OccurredAtField, QuantityField, TextField, UsdAmountField } from '@chip-ledger/http';

export class LicenceConditionsDto {
  @ApiProperty({
    nullable: true,
    type: Number,
    minimum: 0,
    maximum: 100,
    description: 'Share of revenue owed to the US government, in percent with at most two decimals (e.g. 15); remittance due within 90 days of each delivery. null: no such condition.',
    example: 15,
  })
  @ValidateIf((_, v) => v !== null)
  @BoundedNumber({ min: 0, max: 100, decimals: 2 })
  revenueSharePercent!: number | null;
}

const ModelIds = (): PropertyDecorator => {
  const decorators = [IsArray(), ArrayMinSize(1), ArrayMaxSize(100), EachIdMatches()];
  return (target, key) => decorators.forEach((d) => d(target, key));
};
const MODEL_IDS_SCHEMA = { type: 'array', items: ID_SCHEMA, minItems: 1, maxItems: 100 } as const;

export class IssueExportLicenceRequest {
  @IdField('Id of the licence record (chosen by the client)', { example: 'lic-d1234567' }) licenceId!: string;
  @TextField('BIS licence number', { maxLength: 100, example: 'D1234567' }) licenceNumber!: string;
  @TextField('Exporter (e.g. Nvidia)', { maxLength: 200, example: 'NVIDIA Corporation' }) exporter!: string;
  @IdField('Consignee organisation', { example: 'gansu-cloud' }) consigneeOrganisationId!: string;
  @CountryField('Destination country', { example: 'CN' }) destinationCountry!: string;
  @ApiProperty({ ...MODEL_IDS_SCHEMA, description: 'Chip models covered', example: ['nvidia-h20'] }) @ModelIds() modelIds!: string[];
  @QuantityField('Authorised quantity (chips)', { example: 2000 }) authorisedQuantity!: number;
  @InstantField('Valid from', { example: '2025-08-20' }) validFrom!: string;
  @InstantField('Valid to', { example: '2027-08-20' }) validTo!: string;
  @ApiProperty({ type: LicenceConditionsDto })
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => LicenceConditionsDto)
  conditions!: LicenceConditionsDto;
  @OccurredAtField('2025-08-20') occurredAt?: string;
}

export class LicenceChangesDto {
  @ApiPropertyOptional({ ...MODEL_IDS_SCHEMA, description: 'Chip models covered from now on', example: ['nvidia-h20', 'amd-mi308'] })
  @IsOptional()
  @ModelIds()
  modelIds?: string[];
  @QuantityField('Authorised quantity (chips)', { optional: true, example: 3000 }) authorisedQuantity?: number;
  @InstantField('Valid from', { optional: true, example: '2025-09-01' }) validFrom?: string;
  @InstantField('Valid to', { optional: true, example: '2028-08-20' }) validTo?: string;
  @ApiPropertyOptional({ type: LicenceConditionsDto })
  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => LicenceConditionsDto)
  conditions?: LicenceConditionsDto;
}

export class AmendExportLicenceRequest {
  @ApiProperty({ type: LicenceChangesDto, description: 'Terms to replace; those left out stay as they were' })
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => LicenceChangesDto)
  changes!: LicenceChangesDto;
  @TextField('Why', { maxLength: 2000, example: 'BIS amendment letter of 2025-10-02 raising the quantity' }) reason!: string;
  @OccurredAtField('2025-10-02') occurredAt?: string;
}

export class LicenceStatusChangeRequest {
  @TextField('Why', { maxLength: 2000, example: 'BIS is-informed letter pending review' }) reason!: string;
  @OccurredAtField('2025-10-15') occurredAt?: string;
}

export class RecordRemittanceRequest {
  @ApiProperty({ type: 'array', items: ID_SCHEMA, minItems: 1, maxItems: 1000, description: 'Deliveries the remittance covers', example: ['del-2025-0301-h20'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @EachIdMatches()
  deliveryIds!: string[];
  @UsdAmountField('Amount remitted', { example: '1250000.00' }) amountUsd!: string;
  @TextField('Payment reference', { maxLength: 200, example: 'TREAS-2025-11-001' }) reference!: string;
  @OccurredAtField('2025-11-15') occurredAt?: string;
}
