import { ApiPropertyOptional } from '@nestjs/swagger';
import { CursorParam, MAX_POSITION_LENGTH, PageLimitParam } from '@chip-ledger/http';
import { IsOptional, IsString, MaxLength } from 'class-validator';

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
  @PageLimitParam({ max: 200, defaultSize: 50 })
  limit?: number;

  @CursorParam()
  cursor?: string;
}

