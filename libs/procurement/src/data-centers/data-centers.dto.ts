import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, Max, Min } from 'class-validator';
import { CountryField, IdField, OccurredAtField, TextField } from '@chip-ledger/http';

export class RegisterDataCenterRequest {
  @IdField('Id of the new data center (chosen by the client; also its stream id).') dataCenterId!: string;
  @TextField('Name', { maxLength: 200 }) name!: string;
  @IdField('Owning organisation (must be registered).') ownerOrganisationId!: string;
  @CountryField('Country the data center is in') country!: string;
  @TextField('Region or city', { maxLength: 200 }) region!: string;
  @OccurredAtField() occurredAt?: string;
}

export class ReportConstructionProgressRequest {
  @ApiProperty({ description: 'Construction completion, 0 to 100 (one decimal at most)', example: 20, minimum: 0, maximum: 100 })
  @IsNumber({ maxDecimalPlaces: 1, allowNaN: false, allowInfinity: false }, { message: '$property must be a number with at most one decimal' })
  @Min(0)
  @Max(100)
  completionPercent!: number;
  @OccurredAtField() occurredAt?: string;
}

export class ReportStateFundingRequest {
  @TextField('Who funded it (e.g. a provincial government fund)', { nullable: true, maxLength: 200 }) funder?: string | null;
  @TextField('Document or press reference', { nullable: true, maxLength: 500 }) reference?: string | null;
  @OccurredAtField() occurredAt?: string;
}
