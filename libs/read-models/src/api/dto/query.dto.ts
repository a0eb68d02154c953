import { ApiPropertyOptional } from '@nestjs/swagger';
import { EnumField, IdField, MAX_POSITION_LENGTH } from '@chip-ledger/http';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO31661Alpha2, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { FLEET_MIX_DIMENSIONS, type FleetMixDimension } from '../../fleet-mix/fleet-mix.queries';

/** Every GET takes `after`: the read-your-writes position a command response returned. */
export class ConsistencyQueryDto {
  @ApiPropertyOptional({
    description: 'Wait until the read models include this ledger position (read-your-writes): the `position` a write answered. Also accepted as the X-Ledger-Position header, with the same limit.',
    maxLength: MAX_POSITION_LENGTH,
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_POSITION_LENGTH)
  after?: string;
}

export class PageQueryDto extends ConsistencyQueryDto {
  @ApiPropertyOptional({ description: 'Page size (1-200, default 50)', minimum: 1, maximum: 200, type: 'integer' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '$property must be a whole number' })
  @Min(1, { message: '$property must be at least 1' })
  @Max(200, { message: '$property must be at most 200' })
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor: nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}

const toBoolean = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

export class DataCentersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2 country', example: 'CN' })
  @IsOptional()
  @IsISO31661Alpha2({ message: '$property must be an ISO 3166-1 alpha-2 country code' })
  country?: string;

  @IdField('Owning organisation', { optional: true, example: 'gansu-cloud' })
  ownerOrganisationId?: string;

  @ApiPropertyOptional({ description: 'Only data centers that did (true) or did not (false) receive state funding' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: '$property must be true or false' })
  stateFunded?: boolean;
}

export class FleetMixQueryDto extends ConsistencyQueryDto {
  @EnumField(FLEET_MIX_DIMENSIONS, 'Group by country, owner organisation or chip vendor')
  by!: FleetMixDimension;
}

export const FINDING_STATUSES = ['open', 'closed'] as const;
export const SEVERITIES = ['breach', 'review', 'risk'] as const;
export const CERTAINTIES = ['regulation', 'licence-condition', 'guidance', 'reported-guidance'] as const;

export class FindingsQueryDto extends PageQueryDto {
  @EnumField(FINDING_STATUSES, 'open or closed', { optional: true })
  status?: (typeof FINDING_STATUSES)[number];

  @EnumField(SEVERITIES, 'Severity', { optional: true })
  severity?: (typeof SEVERITIES)[number];

  @ApiPropertyOptional({ description: 'Rule id, e.g. CN-STATE-FUNDED-DOMESTIC' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  ruleId?: string;

  @IdField('Data center', { optional: true, example: 'dc-gansu-qingyang-1' })
  dataCenterId?: string;

  @ApiPropertyOptional({ description: 'Legal certainty', enum: CERTAINTIES })
  @IsOptional()
  @IsIn(CERTAINTIES as unknown as string[], { message: `$property must be one of: ${CERTAINTIES.join(', ')}` })
  certainty?: (typeof CERTAINTIES)[number];
}

export class LicencesQueryDto extends ConsistencyQueryDto {
  @IdField('Data center whose deliveries and transfers-in cited the licences', { example: 'dc-gansu-qingyang-1' })
  dataCenterId!: string;
}

export class RentalsQueryDto extends PageQueryDto {
  @IdField('Tenant organisation', { optional: true, example: 'alibaba-cloud' })
  tenantOrganisationId?: string;

  @IdField('Provider data center', { optional: true, example: 'dc-jurong-1' })
  providerDataCenterId?: string;
}
