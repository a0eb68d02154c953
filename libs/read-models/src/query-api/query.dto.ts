import { ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_POSITION_LENGTH } from '@chip-ledger/http';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

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

