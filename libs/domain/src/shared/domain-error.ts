/**
 * How an adapter should answer a refused command. The domain never knows about HTTP; the HTTP layer maps
 * these in one place: `not-found` → 404, `conflict` → 409, `validation` → 422 (or 400).
 *
 * - `validation`: the command's own values are unacceptable, given what is known (a negative quantity, a
 *   date before the data center existed, an unknown chip model).
 * - `not-found`: the aggregate the command targets, or one it names, does not exist.
 * - `conflict`: the aggregate's current state forbids the command (not enough chips installed, already
 *   cancelled, licence revoked). Retrying the same command will fail the same way until the state changes.
 */
export type DomainErrorKind = 'validation' | 'not-found' | 'conflict';

/**
 * Every code a decider (or the upcaster) can refuse with, and its kind. Codes are stable: clients and
 * problem+json `type` URIs are built on them, so rename only with a deprecation.
 */
export const DOMAIN_ERROR_CODES = {
  // ---- validation: the command's own values ---------------------------------------------------------
  'VALUE.REQUIRED': 'validation',
  'VALUE.NOT_ALLOWED': 'validation',
  'QUANTITY.NOT_POSITIVE_INTEGER': 'validation',
  'QUANTITY.TOO_LARGE': 'validation',
  'AMOUNT.NOT_POSITIVE': 'validation',
  'AMOUNT.INVALID': 'validation',
  'INSTANT.INVALID': 'validation',
  'INSTANT.OUT_OF_RANGE': 'validation',
  'COUNTRY.INVALID': 'validation',
  'PERIOD.INVALID': 'validation',
  'OCCURRED_AT.OUT_OF_ORDER': 'validation',
  'CHIP_MODEL.UNKNOWN': 'validation',
  'DATA_CENTER.FACT_BEFORE_REGISTRATION': 'validation',
  'DATA_CENTER.INVALID_COMPLETION_PERCENT': 'validation',
  'PURCHASE_ORDER.DUPLICATE_LINE': 'validation',
  'PURCHASE_ORDER.OTHER_DATA_CENTER': 'validation',
  'TRANSFER.SAME_DATA_CENTER': 'validation',
  'RENTAL.EXTENSION_NOT_LATER': 'validation',
  'LICENCE.INVALID_REVENUE_SHARE': 'validation',
  'EVENT.UNKNOWN_TYPE': 'validation',
  'EVENT.UNSUPPORTED_SCHEMA_VERSION': 'validation',
  'CATALOG.INVALID_SPEC': 'validation',
  'CATALOG.EMPTY_CORRECTION': 'validation',

  // ---- not found ------------------------------------------------------------------------------------
  'ORGANISATION.NOT_FOUND': 'not-found',
  'DATA_CENTER.NOT_FOUND': 'not-found',
  'PURCHASE_ORDER.NOT_FOUND': 'not-found',
  'RENTAL.NOT_FOUND': 'not-found',
  'LICENCE.NOT_FOUND': 'not-found',
  'AUDIT.NOT_FOUND': 'not-found',
  'CATALOG.UNKNOWN_MODEL': 'not-found',

  // ---- conflict: the current state forbids it -------------------------------------------------------
  'ORGANISATION.ALREADY_REGISTERED': 'conflict',
  'ORGANISATION.ALREADY_LISTED': 'conflict',
  'ORGANISATION.NOT_LISTED': 'conflict',
  'DATA_CENTER.ALREADY_REGISTERED': 'conflict',
  'DATA_CENTER.COMPLETION_DECREASED': 'conflict',
  'PURCHASE_ORDER.ALREADY_PLACED': 'conflict',
  'PURCHASE_ORDER.ALREADY_CANCELLED': 'conflict',
  'PURCHASE_ORDER.FULLY_DELIVERED': 'conflict',
  'STOCK.DELIVERY_EXCEEDS_ORDER': 'conflict',
  'STOCK.DUPLICATE_DELIVERY': 'conflict',
  'STOCK.DUPLICATE_TRANSFER': 'conflict',
  'STOCK.INSUFFICIENT_IN_STOCK': 'conflict',
  'STOCK.INSUFFICIENT_INSTALLED': 'conflict',
  'RENTAL.ALREADY_STARTED': 'conflict',
  'RENTAL.ALREADY_ENDED': 'conflict',
  'RENTAL.EXCEEDS_INSTALLED': 'conflict',
  'LICENCE.ALREADY_ISSUED': 'conflict',
  'LICENCE.REVOKED': 'conflict',
  'LICENCE.ALREADY_SUSPENDED': 'conflict',
  'LICENCE.NOT_SUSPENDED': 'conflict',
  'AUDIT.ALREADY_OPENED': 'conflict',
  'AUDIT.ALREADY_CLOSED': 'conflict',
  'CATALOG.MODEL_EXISTS': 'conflict',
} as const satisfies Record<string, DomainErrorKind>;

/** A stable, machine-readable reason a command was refused. */
export type DomainErrorCode = keyof typeof DOMAIN_ERROR_CODES;

/** Every code, e.g. for an adapter's exhaustive mapping test. */
export const DOMAIN_ERROR_CODE_LIST = Object.keys(DOMAIN_ERROR_CODES) as readonly DomainErrorCode[];

export interface DomainErrorOptions {
  /** The offending command field, in the command's own naming (e.g. 'quantity', 'lines[1].modelId'). */
  readonly field?: string;
  /** Plain-JSON facts that help a person act on the error (e.g. `{ requested: 12, available: 10 }`). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * A command refused by an invariant. Deciders **throw** it (they never return it): `decide` returns only the
 * events to append, so "nothing is written" follows from the exception escaping before the append.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly kind: DomainErrorKind;
  readonly field: string | null;
  readonly details: Readonly<Record<string, unknown>> | null;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message);
    this.kind = DOMAIN_ERROR_CODES[code];
    this.field = options.field ?? null;
    this.details = options.details ?? null;
  }

  /** Plain JSON for logs and problem+json bodies. */
  toJSON(): { code: DomainErrorCode; kind: DomainErrorKind; field: string | null; message: string; details: Readonly<Record<string, unknown>> | null } {
    return { code: this.code, kind: this.kind, field: this.field, message: this.message, details: this.details };
  }
}

/**
 * True for a DomainError, even one created by another copy of this library (bundlers and Jest module
 * registries can load it twice, which defeats `instanceof`).
 */
export const isDomainError = (error: unknown): error is DomainError =>
  error instanceof DomainError ||
  (typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'DomainError' &&
    typeof (error as { code?: unknown }).code === 'string' &&
    (error as { code: string }).code in DOMAIN_ERROR_CODES);
