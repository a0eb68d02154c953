import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  type ValidationOptions,
} from 'class-validator';
import { EARLIEST_INSTANT, INSTANT_LIMIT, isInstantInRange, MAX_CHIPS_PER_FACT, MAX_USD_AMOUNT, usdCents, USD_AMOUNT_PATTERN } from '@chip-ledger/domain';

/*
 * Field decorators shared by every command DTO: one definition of what an id, a quantity, an amount, a country
 * or an instant must look like, with its OpenAPI schema (bounds, pattern, a realistic example).
 */

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
export const ID_MAX_LENGTH = 100;

interface FieldOptions {
  readonly optional?: boolean;
  /** A value a client would really send for this field (each field its own). */
  readonly example?: unknown;
}

/** `required` fields need a value; optional ones skip every rule when absent (undefined or null). */
const presence = (description: string, options: FieldOptions, schema: Record<string, unknown>): PropertyDecorator[] =>
  options.optional
    ? [IsOptional(), ApiPropertyOptional({ description, example: options.example, ...schema })]
    : [ApiProperty({ description, example: options.example, ...schema })];

/** A client-chosen identifier: letters, digits and . _ : - (at most 100), starting with a letter or digit. */
export const IdField = (description: string, options: FieldOptions & { example: string }): PropertyDecorator =>
  applyDecorators(
    ...presence(description, options, { type: String, pattern: ID_PATTERN.source, minLength: 1, maxLength: ID_MAX_LENGTH }),
    IsString(),
    Matches(ID_PATTERN, { message: '$property must be 1-100 letters, digits or . _ : - (starting with a letter or digit)' }),
  );

/** The same rule for every element of an array of ids. */
export const EachIdMatches = (): PropertyDecorator =>
  applyDecorators(IsString({ each: true }), Matches(ID_PATTERN, { each: true, message: 'each of $property must be 1-100 letters, digits or . _ : - (starting with a letter or digit)' }));

export const ID_SCHEMA = { type: 'string', pattern: ID_PATTERN.source, minLength: 1, maxLength: ID_MAX_LENGTH } as const;

/** Free text, at most `maxLength` (default 2,000) characters; `nullable` text may be null or absent, `optional` text absent. */
export const TextField = (description: string, options: { optional?: boolean; nullable?: boolean; maxLength?: number; example?: string } = {}): PropertyDecorator => {
  const maxLength = options.maxLength ?? 2000;
  const schema = { type: String, maxLength, example: options.example };
  return applyDecorators(
    ...(options.optional || options.nullable
      ? [
          options.nullable ? ValidateIf((_, v) => v !== null && v !== undefined) : IsOptional(),
          ApiPropertyOptional({ description, ...schema, ...(options.nullable ? { nullable: true } : {}) }),
        ]
      : [ApiProperty({ description, minLength: 1, ...schema }), IsNotEmpty()]),
    IsString(),
    MaxLength(maxLength),
  );
};

/** A count of chips: a whole number from 1 to MAX_CHIPS_PER_FACT (a JSON number past 2^53 is refused, not rounded). */
export const QuantityField = (description = 'Number of chips', options: FieldOptions & { example: number } = { example: 512 }): PropertyDecorator =>
  applyDecorators(
    ...presence(`${description} (a whole number, 1 to ${MAX_CHIPS_PER_FACT.toLocaleString('en')})`, options, { type: 'integer', minimum: 1, maximum: MAX_CHIPS_PER_FACT }),
    IsInt({ message: '$property must be a whole number' }),
    Min(1, { message: '$property must be at least 1' }),
    Max(MAX_CHIPS_PER_FACT, { message: `$property must be at most ${MAX_CHIPS_PER_FACT}` }),
  );

/** A finite number in [min, max] with at most `decimals` fraction digits (percentages, datasheet figures). */
export const BoundedNumber = (bounds: { min: number; max: number; decimals: number }): PropertyDecorator =>
  applyDecorators(
    IsNumber(
      { allowNaN: false, allowInfinity: false, maxDecimalPlaces: bounds.decimals },
      { message: `$property must be a number with at most ${bounds.decimals} decimal${bounds.decimals === 1 ? '' : 's'}` },
    ),
    Min(bounds.min, { message: `$property must be at least ${bounds.min}` }),
    Max(bounds.max, { message: `$property must be at most ${bounds.max}` }),
  );

export const CountryField = (description: string, options: { example: string }): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ description: `${description} (ISO 3166-1 alpha-2)`, example: options.example, type: String, pattern: '^[A-Z]{2}$' }),
    IsISO31661Alpha2({ message: '$property must be an ISO 3166-1 alpha-2 country code' }),
  );

/** A plain date (taken as 00:00 UTC) or a date-time with a zone; never a local time, whose meaning depends on the server. */
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const INSTANT_RANGE = `from ${EARLIEST_INSTANT.slice(0, 10)} to before ${INSTANT_LIMIT.slice(0, 10)}`;

/** An ISO-8601 instant of the shape above that is a real date, within the ledger's range. */
const IsLedgerInstant = (validationOptions?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isLedgerInstant',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && INSTANT_PATTERN.test(value) && !Number.isNaN(Date.parse(value)) && isInstantInRange(value),
        defaultMessage: () => `$property must be ${INSTANT_RANGE}, written as a date (2025-11-05) or a date-time with a time zone (2025-11-05T08:30:00Z)`,
      },
    },
    validationOptions,
  );

/** An instant: ISO-8601 with a time zone (2025-11-05T08:30:00Z) or a plain date (00:00 UTC), within 1990..2100. */
export const InstantField = (description: string, options: FieldOptions & { example: string }): PropertyDecorator =>
  applyDecorators(
    ...presence(`${description}. A date (00:00 UTC) or a date-time with a time zone, ${INSTANT_RANGE}.`, options, { type: String, pattern: INSTANT_PATTERN.source }),
    IsISO8601({ strict: true }, { message: '$property must be an ISO-8601 date or date-time' }),
    IsLedgerInstant(),
  );

/** When the fact happened in the world; defaults to now. Rules judge facts on this date. */
export const OccurredAtField = (example = '2025-11-05T08:30:00Z'): PropertyDecorator =>
  InstantField('When the fact happened in the world (defaults to now; at most 5 minutes ahead). Compliance rules judge facts on this date', {
    optional: true,
    example,
  });

/** US dollars as an exact decimal string: up to two fraction digits, from 0.01 to MAX_USD_AMOUNT. */
export const UsdAmountField = (description: string, options: { example: string }): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      description: `${description}: an exact decimal string of US dollars, at most two fraction digits, from 0.01 to ${MAX_USD_AMOUNT}. A JSON number is refused.`,
      type: String,
      pattern: USD_AMOUNT_PATTERN.source,
      example: options.example,
    }),
    ValidateBy({
      name: 'isUsdAmount',
      validator: {
        validate: (value: unknown) => {
          const cents = usdCents(value);
          return cents !== null && cents > 0n;
        },
        defaultMessage: () => `$property must be a decimal string of US dollars with at most two fraction digits, from 0.01 to ${MAX_USD_AMOUNT} (e.g. "1250000.00")`,
      },
    }),
  );

export const EnumField = <T extends string>(values: readonly T[], description: string, options: FieldOptions = {}): PropertyDecorator =>
  applyDecorators(
    ...presence(description, options, { enum: values, type: String }),
    IsIn(values as T[], { message: `$property must be one of: ${values.join(', ')}` }),
  );
