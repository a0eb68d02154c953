import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO31661Alpha2, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, Min, ValidateIf } from 'class-validator';

/*
 * Field decorators shared by every command DTO: one definition of what an id, a quantity, a country or an
 * instant must look like, with its OpenAPI description.
 */

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** A client-chosen identifier: letters, digits and . _ : - (at most 100). */
export const IdField = (description: string, options: { optional?: boolean } = {}): PropertyDecorator =>
  applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional({ description, example: 'dc-gansu-1' })] : [ApiProperty({ description, example: 'dc-gansu-1' })]),
    IsString(),
    Matches(ID_PATTERN, { message: '$property must be 1-100 letters, digits or . _ : - (starting with a letter or digit)' }),
  );

export const TextField = (description: string, options: { optional?: boolean; nullable?: boolean; maxLength?: number } = {}): PropertyDecorator =>
  applyDecorators(
    ...(options.optional || options.nullable
      ? [options.nullable ? ValidateIf((_, v) => v !== null && v !== undefined) : IsOptional(), ApiPropertyOptional({ description, nullable: options.nullable })]
      : [ApiProperty({ description }), IsNotEmpty()]),
    IsString(),
    MaxLength(options.maxLength ?? 2000),
  );

/** A count of chips: a positive whole number. */
export const QuantityField = (description = 'Number of chips (a positive whole number)'): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ description, example: 512, minimum: 1, type: 'integer' }),
    IsInt({ message: '$property must be a whole number' }),
    Min(1, { message: '$property must be at least 1' }),
  );

export const CountryField = (description: string): PropertyDecorator =>
  applyDecorators(ApiProperty({ description, example: 'CN', pattern: '^[A-Z]{2}$' }), IsISO31661Alpha2({ message: '$property must be an ISO 3166-1 alpha-2 country code' }));

/** An instant, ISO-8601 with a time zone (e.g. 2025-11-05T00:00:00Z) or a plain date (taken as 00:00 UTC). */
export const InstantField = (description: string, options: { optional?: boolean } = {}): PropertyDecorator =>
  applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional({ description, example: '2025-11-05T00:00:00Z' })] : [ApiProperty({ description, example: '2025-11-05T00:00:00Z' })]),
    IsISO8601({ strict: true }, { message: '$property must be an ISO-8601 date or date-time' }),
  );

/** When the fact happened in the world; defaults to now. Rules judge facts on this date. */
export const OccurredAtField = (): PropertyDecorator =>
  InstantField('When the fact happened in the world (defaults to now). Compliance rules judge facts on this date.', { optional: true });

export const EnumField = <T extends string>(values: readonly T[], description: string, options: { optional?: boolean } = {}): PropertyDecorator =>
  applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional({ description, enum: values })] : [ApiProperty({ description, enum: values })]),
    IsIn(values as T[], { message: `$property must be one of: ${values.join(', ')}` }),
  );
