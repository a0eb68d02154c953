import { ApiProperty } from '@nestjs/swagger';
import { BoundedNumber, CountryField, IdField, OccurredAtField, TextField } from '@chip-ledger/http';

export class RegisterDataCenterRequest {
  @IdField('Id of the new data center (chosen by the client; also its stream id).', { example: 'dc-gansu-qingyang-1' }) dataCenterId!: string;
  @TextField('Name', { maxLength: 200, example: 'Qingyang East Computing Hub 1' }) name!: string;
  @IdField('Owning organisation (must be registered).', { example: 'gansu-cloud' }) ownerOrganisationId!: string;
  @CountryField('Country the data center is in', { example: 'CN' }) country!: string;
  @TextField('Region or city', { maxLength: 200, example: 'Qingyang, Gansu' }) region!: string;
  @OccurredAtField('2025-01-10') occurredAt?: string;
}

export class ReportConstructionProgressRequest {
  @ApiProperty({ description: 'Construction completion, 0 to 100 (one decimal at most)', example: 20.5, minimum: 0, maximum: 100, type: Number })
  @BoundedNumber({ min: 0, max: 100, decimals: 1 })
  completionPercent!: number;
  @OccurredAtField('2025-11-01') occurredAt?: string;
}

export class ReportStateFundingRequest {
  @TextField('Who funded it (e.g. a provincial government fund)', { nullable: true, maxLength: 200, example: 'Gansu Provincial Industrial Investment Fund' }) funder?: string | null;
  @TextField('Document or press reference', { nullable: true, maxLength: 500, example: 'Reuters, 2025-11-05' }) reference?: string | null;
  @OccurredAtField('2025-06-30') occurredAt?: string;
}
