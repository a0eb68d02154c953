import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { FieldError } from './problem-details';
import { ValidationProblem } from './error-mapping';
import { findReservedKey, RESERVED_KEY_REASON } from './reserved-keys';
import { findUnstorableText, UNSTORABLE_TEXT_REASON } from './storable-text';

/**
 * The global pipe: unknown fields are refused (not silently dropped), values are converted to the DTO's
 * types, and every failure names its field with a dotted path. Before the DTO rules, every string the client
 * sent (body, query, path) must be text the ledger can store (`storable-text.ts`), whatever its DTO says.
 */
export function createValidationPipe(): ValidationPipe {
  return new LedgerValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationProblem(flatten(errors)),
  });
}

class LedgerValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return super.transform(value, metadata);
    if (metadata.type === 'body' && isDto(metadata.metatype)) {
      // No body at all is an empty one: the DTO's rules then name each missing field.
      if (value === undefined) value = {};
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ValidationProblem([{ field: 'body', reason: 'the body must be a JSON object' }]);
      }
    }
    // A path parameter is named by its route name; a body's or query's fields by their own paths.
    const root = metadata.type === 'param' ? (metadata.data ?? 'path') : (metadata.data ?? '');
    const unstorable = findUnstorableText(value, root);
    if (unstorable !== null) throw new ValidationProblem([{ field: unstorable || metadata.type, reason: `${unstorable || metadata.type} ${UNSTORABLE_TEXT_REASON}` }]);
    const reserved = findReservedKey(value, root);
    if (reserved !== null) throw new ValidationProblem([{ field: reserved, reason: `${reserved} ${RESERVED_KEY_REASON}` }]);
    return super.transform(value, metadata);
  }
}

/** A class with validation rules, as opposed to a primitive or a plain object type. */
function isDto(metatype: unknown): boolean {
  return typeof metatype === 'function' && ![Object, String, Number, Boolean, Array].includes(metatype as never);
}

export function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
