import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { FieldError } from './problem-details';
import { ValidationProblem } from './error-mapping';
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
    if (metadata.type !== 'custom') {
      // A path parameter is named by its route name; a body's or query's fields by their own paths.
      const field = findUnstorableText(value, metadata.type === 'param' ? (metadata.data ?? 'path') : (metadata.data ?? ''));
      if (field !== null) throw new ValidationProblem([{ field: field || metadata.type, reason: `${field || metadata.type} ${UNSTORABLE_TEXT_REASON}` }]);
    }
    return super.transform(value, metadata);
  }
}

export function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
