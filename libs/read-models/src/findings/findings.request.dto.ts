import { ApiPropertyOptional } from '@nestjs/swagger';
import { EnumField, IdField } from '@chip-ledger/http';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../query-api/query.dto';

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
