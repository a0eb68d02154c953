import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const INSTANT_MESSAGE = '$property must be an ISO-8601 date or date-time (e.g. 2025-11-05 or 2025-11-05T12:00:00Z)';
const EVENT_TYPE = /^[A-Z][A-Za-z0-9]{0,99}$/;

/** `?type=A&type=B` and `?type=A,B` alike. */
const toList = ({ value }: { value: unknown }): unknown =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v])).filter((v) => v !== '');

export const HISTORY_ORDERS = ['newest', 'oldest'] as const;

export class CursorPageDto {
  @ApiPropertyOptional({ description: 'Page size (1-1000, default 100)', minimum: 1, maximum: 1000, type: 'integer', example: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '$property must be a whole number' })
  @Min(1, { message: '$property must be at least 1' })
  @Max(1000, { message: '$property must be at most 1000' })
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor: nextCursor of the previous page of the same query', example: 'WyIyMDI1LTExLTA1VDAwOjAwOjAwLjAwMFoiLCJwcm9jdXJlbWVudCIsNDJd' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
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

  @ApiPropertyOptional({ description: 'occurredAt at or after this instant', example: '2025-01-01' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: INSTANT_MESSAGE })
  occurredFrom?: string;

  @ApiPropertyOptional({ description: 'occurredAt at or before this instant', example: '2025-12-31T23:59:59Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: INSTANT_MESSAGE })
  occurredTo?: string;

  @ApiPropertyOptional({ description: 'recordedAt at or after this instant', example: '2025-01-01' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: INSTANT_MESSAGE })
  recordedFrom?: string;

  @ApiPropertyOptional({ description: 'recordedAt at or before this instant', example: '2026-01-01' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: INSTANT_MESSAGE })
  recordedTo?: string;
}

export class AsOfQueryDto {
  @ApiProperty({ description: 'The instant in the world to answer for: facts that occurred at or before it count', example: '2025-12-01T00:00:00Z' })
  @IsISO8601({ strict: true }, { message: INSTANT_MESSAGE })
  occurredAt!: string;

  @ApiPropertyOptional({ description: 'What the ledger had recorded by this instant (default now; never in the future)', example: '2026-01-15T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: INSTANT_MESSAGE })
  knownAt?: string;
}

export class FleetAsOfQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({ description: 'Data centers per page (1-1000, default 100)', minimum: 1, maximum: 1000, type: 'integer', example: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '$property must be a whole number' })
  @Min(1, { message: '$property must be at least 1' })
  @Max(1000, { message: '$property must be at most 1000' })
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor: nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}

export class RulesQueryDto {
  @ApiPropertyOptional({ description: 'The instant to give each rule’s standing at (default now)', example: '2025-03-01' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: INSTANT_MESSAGE })
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

  @ApiPropertyOptional({ description: 'Only facts recorded at or after this instant', example: '2026-01-01' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: INSTANT_MESSAGE })
  since?: string;
}
