import { HttpException, HttpStatus } from '@nestjs/common';
import { isDomainError, type DomainErrorKind } from '@chip-ledger/domain';
import { problem, type FieldError, type ProblemDetails } from './problem-details';

/** Domain refusals by kind: the one place where a domain answer becomes an HTTP status. */
const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  validation: HttpStatus.UNPROCESSABLE_ENTITY,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
};

const TITLE_BY_KIND: Record<DomainErrorKind, string> = {
  validation: 'The request is not acceptable',
  'not-found': 'Not found',
  conflict: 'The current state forbids this',
};

/** Thrown by handlers and guards when a request must be refused with a specific problem. */
export class ProblemException extends Error {
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail);
  }
}

export class ValidationProblem extends ProblemException {
  constructor(errors: FieldError[], detail = describe(errors)) {
    super(problem(400, 'REQUEST.INVALID', 'The request is invalid', detail, { field: errors[0]?.field ?? null, errors }));
  }
}

function describe(errors: FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.reason}`).join('; ');
}

/**
 * Turn anything thrown while serving a request into problem details. Errors from the data-access layer
 * are recognised by name (no import of that layer here): the event store's optimistic-concurrency,
 * idempotency, duplicate-id, busy and malformed-append refusals.
 */
export function toProblem(error: unknown): { problem: ProblemDetails; unexpected: boolean } {
  if (error instanceof ProblemException) return { problem: error.problem, unexpected: false };
  if (isDomainError(error)) {
    return {
      problem: problem(STATUS_BY_KIND[error.kind], error.code, TITLE_BY_KIND[error.kind], error.message, {
        field: error.field,
        ...(error.details ? { details: error.details } : {}),
      }),
      unexpected: false,
    };
  }
  const named = error as { name?: string; message?: string } & Record<string, unknown>;
  if (named?.name === 'WrongExpectedVersionError') {
    return {
      problem: problem(409, 'STREAM.WRONG_EXPECTED_VERSION', 'Concurrent change', String(named.message), {
        streamId: named['streamId'],
        expectedVersion: named['expectedVersion'],
        currentVersion: named['currentVersion'],
      }),
      unexpected: false,
    };
  }
  if (named?.name === 'IdempotencyConflictError') {
    return {
      problem: problem(422, 'IDEMPOTENCY.KEY_REUSED', 'Idempotency key reused with another request', String(named.message), {
        field: 'Idempotency-Key',
      }),
      unexpected: false,
    };
  }
  if (named?.name === 'InvalidAppendError') {
    // Validation should catch every such input first; if one slips through, the client still hears why.
    return {
      problem: problem(422, 'EVENT.NOT_STORABLE', 'The facts cannot be stored as given', String(named.message)),
      unexpected: false,
    };
  }
  if (named?.name === 'StoreBusyError') {
    return {
      problem: problem(503, 'LEDGER.BUSY', 'The ledger is busy', String(named.message), { retryAfterSeconds: 1 }),
      unexpected: false,
    };
  }
  if (named?.name === 'DuplicateEventIdError') {
    return {
      problem: problem(409, 'EVENT.DUPLICATE_ID', 'An event with this id is already recorded', String(named.message), {
        eventId: named['eventId'] ?? null,
      }),
      unexpected: false,
    };
  }
  if (error instanceof HttpException) return { problem: fromHttpException(error), unexpected: false };
  const clientError = fromExposedHttpError(error);
  if (clientError) return { problem: clientError, unexpected: false };
  return { problem: problem(500, 'SERVER.UNEXPECTED', 'Unexpected error', 'The server could not complete the request; nothing was recorded.'), unexpected: true };
}

function fromHttpException(error: HttpException): ProblemDetails {
  const status = error.getStatus();
  const response = error.getResponse();
  const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? error.message);
  const detail = Array.isArray(message) ? message.join('; ') : String(message);
  const code = CODE_BY_STATUS[status] ?? `HTTP.${status}`;
  return problem(status, code, error.name.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1 $2'), detail);
}

/**
 * A client error raised by Express' middleware (http-errors: a 4xx `status` with `expose` set), e.g. a
 * malformed percent-encoding in a path. Its status stands; its message is one meant for clients.
 */
function fromExposedHttpError(error: unknown): ProblemDetails | null {
  const candidate = error as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown } | null;
  const status = candidate?.status ?? candidate?.statusCode;
  if (candidate?.expose !== true || typeof status !== 'number' || status < 400 || status > 499) return null;
  return problem(status, CODE_BY_STATUS[status] ?? `HTTP.${status}`, 'The request cannot be served', String(candidate.message ?? ''));
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'REQUEST.INVALID',
  401: 'AUTH.UNAUTHENTICATED',
  403: 'AUTH.FORBIDDEN',
  404: 'RESOURCE.NOT_FOUND',
  405: 'REQUEST.METHOD_NOT_ALLOWED',
  413: 'REQUEST.TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
};
