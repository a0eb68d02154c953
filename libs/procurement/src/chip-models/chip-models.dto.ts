import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsNumber, IsOptional, Min, ValidateIf, ValidateNested } from 'class-validator';
import { CountryField, IdField, TextField } from '@chip-ledger/http';

/** A datasheet figure; null when unknown (rules needing it then report "cannot classify"). */
export class FigureDto {
  @ApiProperty({ nullable: true, type: Number, example: 148 })
  @ValidateIf((_, v) => v !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  value!: number | null;

  @ApiPropertyOptional({ description: 'True for estimates ("~" in the sources)' })
  @IsOptional()
  @IsBoolean()
  estimate?: boolean;
}

const Figure = (description: string): PropertyDecorator => {
  const decorators = [ApiProperty({ description, type: FigureDto }), ValidateNested(), Type(() => FigureDto)];
  return (target, key) => decorators.forEach((d) => d(target, key));
};

export class AddChipModelRequest {
  @IdField('Model id, e.g. nvidia-h20') modelId!: string;
  @TextField('Model name', { maxLength: 200 }) name!: string;
  @TextField('Vendor', { maxLength: 200 }) vendor!: string;
  @CountryField("Vendor's headquarters country") vendorHeadquarters!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Where the die is fabricated, when known' })
  @ValidateIf((_, v) => v !== null)
  @CountryFieldInner()
  fabCountry!: string | null;
  @ApiProperty({ description: 'US-origin item for export-control purposes' }) @IsBoolean() usOrigin!: boolean;
  @Figure('Dense 16-bit TFLOPS (no sparsity)') denseFp16Tflops!: FigureDto;
  @Figure('Die area, mm²') dieAreaMm2!: FigureDto;
  @Figure('DRAM bandwidth, GB/s') dramBandwidthGBs!: FigureDto;
  @Figure('Chip-to-chip bandwidth, GB/s (0 when none)') chipToChipGBs!: FigureDto;
  @TextField('Source of the figures (URL or citation)', { maxLength: 2000 }) source!: string;
  @TextField('Notes', { optional: true }) notes?: string;
}

function CountryFieldInner(): PropertyDecorator {
  return CountryField('country');
}

export class ChipModelChangesDto extends PartialType(OmitType(AddChipModelRequest, ['modelId'] as const)) {}

export class CorrectChipModelRequest {
  @ApiProperty({ type: ChipModelChangesDto, description: 'Fields to replace' })
  @ValidateNested()
  @Type(() => ChipModelChangesDto)
  changes!: ChipModelChangesDto;
  @TextField('Why the correction (shown to auditors)', { maxLength: 2000 }) reason!: string;
}
