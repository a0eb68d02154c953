import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNumber, IsOptional, IsString, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { CountryField, IdField, InstantField, OccurredAtField, QuantityField, TextField } from '@chip-ledger/http';

export class LicenceConditionsDto {
  @ApiProperty({ nullable: true, type: Number, description: 'Share of revenue owed to the US government (e.g. 15); remittance due within 90 days of each delivery', example: 15 })
  @ValidateIf((_, v) => v !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  revenueSharePercent!: number | null;
}

const ModelIds = (): PropertyDecorator => {
  const decorators = [
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(100),
    IsString({ each: true }),
    Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, { each: true, message: 'each of $property must be a chip model id' }),
  ];
  return (target, key) => decorators.forEach((d) => d(target, key));
};

export class IssueExportLicenceRequest {
  @IdField('Id of the licence record (chosen by the client)') licenceId!: string;
  @TextField('BIS licence number', { maxLength: 100 }) licenceNumber!: string;
  @TextField('Exporter (e.g. Nvidia)', { maxLength: 200 }) exporter!: string;
  @IdField('Consignee organisation') consigneeOrganisationId!: string;
  @CountryField('Destination country') destinationCountry!: string;
  @ApiProperty({ type: [String], description: 'Chip models covered' }) @ModelIds() modelIds!: string[];
  @QuantityField('Authorised quantity (chips)') authorisedQuantity!: number;
  @InstantField('Valid from') validFrom!: string;
  @InstantField('Valid to') validTo!: string;
  @ApiProperty({ type: LicenceConditionsDto }) @ValidateNested() @Type(() => LicenceConditionsDto) conditions!: LicenceConditionsDto;
  @OccurredAtField() occurredAt?: string;
}

export class LicenceChangesDto {
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @ModelIds() modelIds?: string[];
  @ApiPropertyOptional({ type: 'integer', minimum: 1 })
  @IsOptional()
  @QuantityFieldInner()
  authorisedQuantity?: number;
  @InstantField('Valid from', { optional: true }) validFrom?: string;
  @InstantField('Valid to', { optional: true }) validTo?: string;
  @ApiPropertyOptional({ type: LicenceConditionsDto }) @IsOptional() @ValidateNested() @Type(() => LicenceConditionsDto) conditions?: LicenceConditionsDto;
}

function QuantityFieldInner(): PropertyDecorator {
  return QuantityField('Authorised quantity');
}

export class AmendExportLicenceRequest {
  @ApiProperty({ type: LicenceChangesDto }) @ValidateNested() @Type(() => LicenceChangesDto) changes!: LicenceChangesDto;
  @TextField('Why', { maxLength: 2000 }) reason!: string;
  @OccurredAtField() occurredAt?: string;
}

export class LicenceStatusChangeRequest {
  @TextField('Why', { maxLength: 2000 }) reason!: string;
  @OccurredAtField() occurredAt?: string;
}

export class RecordRemittanceRequest {
  @ApiProperty({ type: [String], description: 'Deliveries the remittance covers' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  deliveryIds!: string[];
  @ApiProperty({ description: 'Amount remitted, USD', example: 1250000 }) @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 }) @Min(0.01) amountUsd!: number;
  @TextField('Payment reference', { maxLength: 200 }) reference!: string;
  @OccurredAtField() occurredAt?: string;
}
