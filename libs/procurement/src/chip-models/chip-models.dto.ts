import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, ValidateIf, ValidateNested } from 'class-validator';
import { BoundedNumber, CountryField, IdField, TextField } from '@chip-ledger/http';

/**
 * The largest datasheet figure accepted: wafer-scale parts reach 46,225 mm² of die and about 2×10^7 GB/s of
 * on-chip bandwidth; a figure above 10^9 is a typo (or a probe), not a chip.
 */
const MAX_FIGURE = 1_000_000_000;

/** A datasheet figure; null when unknown (rules needing it then report "cannot classify"). */
export class FigureDto {
  @ApiProperty({ nullable: true, type: Number, minimum: 0, maximum: MAX_FIGURE, description: 'The figure (at most 3 decimals); null when unknown', example: 148 })
  @ValidateIf((_, v) => v !== null)
  @BoundedNumber({ min: 0, max: MAX_FIGURE, decimals: 3 })
  value!: number | null;

  @ApiPropertyOptional({ description: 'True for estimates ("~" in the sources)', example: false })
  @IsOptional()
  @IsBoolean()
  estimate?: boolean;
}

const Figure = (description: string): PropertyDecorator => {
  const decorators = [ApiProperty({ description, type: FigureDto }), IsObject({ message: '$property must be an object' }), ValidateNested(), Type(() => FigureDto)];
  return (target, key) => decorators.forEach((d) => d(target, key));
};

export class AddChipModelRequest {
  @IdField('Model id', { example: 'huawei-ascend-910d' }) modelId!: string;
  @TextField('Model name', { maxLength: 200, example: 'Ascend 910D' }) name!: string;
  @TextField('Vendor', { maxLength: 200, example: 'Huawei' }) vendor!: string;
  @CountryField("Vendor's headquarters country", { example: 'CN' }) vendorHeadquarters!: string;
  @ApiProperty({ nullable: true, type: String, pattern: '^[A-Z]{2}$', description: 'Where the die is fabricated, when known (ISO 3166-1 alpha-2); null when unknown', example: 'CN' })
  @ValidateIf((_, v) => v !== null)
  @CountryFieldInner()
  fabCountry!: string | null;
  @ApiProperty({ description: 'US-origin item for export-control purposes', example: false }) @IsBoolean() usOrigin!: boolean;
  @Figure('Dense 16-bit TFLOPS (no sparsity)') denseFp16Tflops!: FigureDto;
  @Figure('Die area, mm²') dieAreaMm2!: FigureDto;
  @Figure('DRAM bandwidth, GB/s') dramBandwidthGBs!: FigureDto;
  @Figure('Chip-to-chip bandwidth, GB/s (0 when none)') chipToChipGBs!: FigureDto;
  @TextField('Source of the figures (URL or citation)', { maxLength: 2000, example: 'Reuters, 2025-04-28: Huawei readies Ascend 910D samples' }) source!: string;
  @TextField('Notes', { optional: true, example: 'Figures unpublished; estimates from press reports' }) notes?: string;
}

function CountryFieldInner(): PropertyDecorator {
  return CountryField('country', { example: 'CN' });
}

export class ChipModelChangesDto extends PartialType(OmitType(AddChipModelRequest, ['modelId'] as const)) {}

export class CorrectChipModelRequest {
  @ApiProperty({ type: ChipModelChangesDto, description: 'Fields to replace' })
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => ChipModelChangesDto)
  changes!: ChipModelChangesDto;
  @TextField('Why the correction (shown to auditors)', { maxLength: 2000, example: 'Vendor datasheet rev. 2 gives 4,000 GB/s DRAM bandwidth' }) reason!: string;
}
