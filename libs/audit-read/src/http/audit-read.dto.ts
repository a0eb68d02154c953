import { CursorParam, InstantParam, PageLimitParam } from '@chip-ledger/http';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const EVENT_TYPE = /^[A-Z][A-Za-z0-9]{0,99}$/;

/** `?type=A&type=B` and `?type=A,B` alike. */
const toList = ({ value }: { value: unknown }): unknown =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v])).filter((v) => v !== '');

export const HISTORY_ORDERS = ['newest', 'oldest'] as const;

export class CursorPageDto {
  @PageLimitParam({ max: 1000, defaultSize: 100, example: 100 })
  limit?: number;

  @CursorParam('Opaque cursor: nextCursor of the previous page of the same query', 'WyIyMDI1LTExLTA1VDAwOjAwOjAwLjAwMFoiLCJwcm9jdXJlbWVudCIsNDJd')
  cursor?: string;
}

export class HistoryQueryDto extends CursorPageDto {
  @ApiPropertyOptional({ description: 'newest (default) or oldest first, in the ledger order (recordedAt, store, global position)', enum: HISTORY_ORDERS, example: 'oldest' })
  @IsOptional()
  @IsIn(HISTORY_ORDERS as unknown as string[], { message: `$property must be one of: ${HISTORY_ORDERS.join(', ')}` })
  order?: (typeof HISTORY_ORDERS)[number];

  @ApiPropertyOptional({ description: 'Only these event types (repeat the parameter or separate with commas)', type: [String], example: ['ChipsDelivered', 'ChipsInstalled'] })
  @IsOptional()
  @Transform(toList)
  @ArrayMaxSize(50)
  @Matches(EVENT_TYPE, { each: true, message: '$property must be event type names such as ChipsDelivered' })
  type?: string[];

  @ApiPropertyOptional({ description: 'Only events recorded by this actor (its id, the token subject)', example: 'auditor@audit-firm' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @InstantParam('occurredAt at or after this instant', '2025-01-01')
  occurredFrom?: string;

  @InstantParam('occurredAt at or before this instant', '2025-12-31T23:59:59Z')
  occurredTo?: string;

  @InstantParam('recordedAt at or after this instant', '2025-01-01')
  recordedFrom?: string;

  @InstantParam('recordedAt at or before this instant', '2026-01-01')
  recordedTo?: string;
}

export class AsOfQueryDto {
  @InstantParam('The instant in the world to answer for: facts that occurred at or before it count', '2025-12-01T00:00:00Z', { required: true })
  occurredAt!: string;

  @InstantParam('What the ledger had recorded by this instant (default now; never in the future)', '2026-01-15T00:00:00Z')
  knownAt?: string;
}

export class FleetAsOfQueryDto extends AsOfQueryDto {
  @PageLimitParam({ max: 1000, defaultSize: 100, example: 100, what: 'Data centers per page' })
  limit?: number;

  @CursorParam()
  cursor?: string;
}

export class RulesQueryDto {
  @InstantParam('The instant to give each rule’s standing at (default now)', '2025-03-01')
  at?: string;
}

export class LateFactsQueryDto extends CursorPageDto {
  @ApiPropertyOptional({ description: 'Recorded more than this many hours after they occurred (default 24)', minimum: 0, example: 72 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a number of hours' })
  @Min(0, { message: '$property must not be negative' })
  @Max(1_000_000, { message: '$property must be at most 1000000' })
  thresholdHours?: number;

  @InstantParam('Only facts recorded at or after this instant', '2026-01-01')
  since?: string;
}
