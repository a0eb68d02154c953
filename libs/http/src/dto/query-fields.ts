import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/*
 * Query-string parameters shared by the read APIs (the read models' and the auditors'): one definition of a page
 * size, a cursor and an instant, each with its OpenAPI schema and the message a 400 names the field with.
 */

export const INSTANT_PARAM_MESSAGE = '$property must be an ISO-8601 date or date-time (e.g. 2025-11-05 or 2025-11-05T12:00:00Z)';

/** An instant (`2025-11-05` or `2025-11-05T12:00:00Z`); optional unless `required`. */
export const InstantParam = (description: string, example: string, options: { required?: boolean } = {}): PropertyDecorator =>
  applyDecorators(
    ...(options.required ? [ApiProperty({ description, example })] : [ApiPropertyOptional({ description, example }), IsOptional()]),
    IsISO8601({ strict: true }, { message: INSTANT_PARAM_MESSAGE }),
  );

/** `limit`: a page size from 1 to `max` (`defaultSize`, the handler's default, is only described); `what`: "Data centers per page". */
export const PageLimitParam = (options: { max: number; defaultSize: number; example?: number; what?: string }): PropertyDecorator => {
  const { max, defaultSize, example, what = 'Page size' } = options;
  return applyDecorators(
    ApiPropertyOptional({ description: `${what} (1-${max}, default ${defaultSize})`, minimum: 1, maximum: max, type: 'integer', example }),
    IsOptional(),
    Type(() => Number),
    IsInt({ message: '$property must be a whole number' }),
    Min(1, { message: '$property must be at least 1' }),
    Max(max, { message: `$property must be at most ${max}` }),
  );
};

/** `cursor`: the opaque `nextCursor` of the previous page. */
export const CursorParam = (description = 'Opaque cursor: nextCursor of the previous page', example?: string): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional({ description, example }), IsOptional(), IsString(), MaxLength(1000));
