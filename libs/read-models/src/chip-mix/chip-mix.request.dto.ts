import { ApiPropertyOptional } from '@nestjs/swagger';
import { IdField } from '@chip-ledger/http';
import { Transform } from 'class-transformer';
import { IsBoolean, IsISO31661Alpha2, IsOptional } from 'class-validator';
import { PageQueryDto } from '../query-api/query.dto';

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
