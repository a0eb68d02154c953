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

interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly extensions?: (error: Record<string, unknown>) => Partial<ProblemDetails>;
}

/**
 * Refusals of the layers below, by error name (this layer imports neither the event store nor the command side):
 * the store's optimistic-concurrency, idempotency, duplicate-id, busy and malformed-append errors, and the command
 * executor's check of the operator's date. Their own `code`s are stable too; the problem codes here are the API's.
 */
const REFUSALS_BY_NAME: Readonly<Record<string, Refusal>> = {
  WrongExpectedVersionError: {
    status: 409,
    code: 'STREAM.WRONG_EXPECTED_VERSION',
    title: 'Concurrent change',
    extensions: (e) => ({ streamId: e['streamId'], expectedVersion: e['expectedVersion'], currentVersion: e['currentVersion'] }),
  },
  IdempotencyConflictError: { status: 422, code: 'IDEMPOTENCY.KEY_REUSED', title: 'Idempotency key reused with another request', extensions: () => ({ field: 'Idempotency-Key' }) },
  // Validation should catch every such input first; if one slips through, the client still hears why.
  InvalidAppendError: { status: 422, code: 'EVENT.NOT_STORABLE', title: 'The facts cannot be stored as given' },
  StoreBusyError: { status: 503, code: 'LEDGER.BUSY', title: 'The ledger is busy', extensions: () => ({ retryAfterSeconds: 1 }) },
  DuplicateEventIdError: { status: 409, code: 'EVENT.DUPLICATE_ID', title: 'An event with this id is already recorded', extensions: (e) => ({ eventId: e['eventId'] ?? null }) },
  OccurredAtInFutureError: { status: 422, code: 'OCCURRED_AT.IN_FUTURE', title: 'The fact is dated in the future', extensions: () => ({ field: 'occurredAt' }) },
};

/** Seconds a client is asked to wait (`Retry-After`) when a dependency is lost: a PostgreSQL restart takes about that. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 2;

/** What the request was, as far as the answer depends on it: a read changes nothing whatever happened. */
export interface RequestContext {
  readonly method?: string;
}

/**
 * Turn anything thrown while serving a request into problem details: the one place where a refusal of the domain,
 * the command side or the store becomes an HTTP status. Errors of the layers below are recognised by name
 * (REFUSALS_BY_NAME), a lost dependency by shape (`lostDependency`).
 * An answer never claims what the server does not know: after a lost connection or an unexpected error, a
 * command may have been recorded, and only a retry with the same Idempotency-Key can tell.
 */
export function toProblem(error: unknown, request: RequestContext = {}): { problem: ProblemDetails; unexpected: boolean } {
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
  const named = error as { name?: unknown; message?: unknown } & Record<string, unknown>;
  const refusal = typeof named?.name === 'string' && Object.hasOwn(REFUSALS_BY_NAME, named.name) ? REFUSALS_BY_NAME[named.name] : null;
  if (refusal) {
    return { problem: problem(refusal.status, refusal.code, refusal.title, String(named.message), refusal.extensions?.(named)), unexpected: false };
  }
  const lost = lostDependency(error);
  if (lost) {
    return {
      problem: problem(503, 'SERVICE.DEPENDENCY_UNAVAILABLE', `The ledger's ${lost} is unavailable`, `${DEPENDENCY_DETAIL[lost]} ${outcomeOf(request)}`, {
        dependency: lost,
        retryAfterSeconds: DEPENDENCY_RETRY_AFTER_SECONDS,
      }),
      unexpected: false,
    };
  }
  if (error instanceof HttpException) return { problem: fromHttpException(error), unexpected: false };
  const clientError = fromExposedHttpError(error);
  if (clientError) return { problem: clientError, unexpected: false };
  return { problem: problem(500, 'SERVER.UNEXPECTED', 'Unexpected error', `The server could not complete the request. ${outcomeOf(request)}`), unexpected: true };
}

const DEPENDENCY_DETAIL: Record<LostDependency, string> = {
  database: 'The connection to the database was lost or refused (a restart or a failover).',
  kafka: 'The Kafka cluster did not answer.',
};

/** What the client may conclude: nothing, for a write, except through a retry with the same key. */
function outcomeOf(request: RequestContext): string {
  if (/^(GET|HEAD|OPTIONS)$/i.test(request.method ?? '')) return 'Nothing was changed; retry shortly.';
  return (
    'Whether the command was recorded is not known. Retry it with the same Idempotency-Key: if it was recorded, ' +
    'the retry answers with the original result and records nothing again (a command sent without a key may be recorded twice).'
  );
}

export type LostDependency = 'database' | 'kafka';

/**
 * SQLSTATE classes and codes that say the database went away, not that the request was wrong: connection
 * exceptions (08), admin or crash shutdown and "cannot connect now" while it starts or recovers (57P01-57P03),
 * too many connections (53300).
 */
const LOST_DATABASE_CODE = /^(08...|57P0[1-3]|53300)$/;
/** Socket-level failures, from `pg` (which surfaces Node's errors) or any other client. */
const LOST_SOCKET_CODE = /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTCONN|EAI_AGAIN)$/;
/** `pg`'s own messages when a connection ends or cannot be had (they carry no code). */
const LOST_DATABASE_MESSAGE = /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect|Connection terminated due to connection timeout)/;
/** kafkajs errors that mean the cluster is unreachable (by class name: this layer does not import kafkajs). */
const LOST_KAFKA_NAME = /^KafkaJS(ConnectionError|ConnectionClosedError|NoBrokerAvailableError|BrokerNotFound|RequestTimeoutError|NumberOfRetriesExceeded|LockTimeout)$/;

/**
 * Whether `error` (or what it wraps) says a dependency is unreachable, and which: the request itself may be
 * fine and a retry may succeed. Recognised by shape (SQLSTATE, socket code, `pg`'s messages, kafkajs' class
 * names), so libraries that wrap a driver's error keep it recognisable through `cause` / `driverError`.
 */
export function lostDependency(error: unknown, depth = 0): LostDependency | null {
  if (!error || typeof error !== 'object' || depth > 5) return null;
  const e = error as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; driverError?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const name = typeof e.name === 'string' ? e.name : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (LOST_KAFKA_NAME.test(name)) return 'kafka';
  if (LOST_DATABASE_CODE.test(code) || LOST_SOCKET_CODE.test(code) || LOST_DATABASE_MESSAGE.test(message)) return 'database';
  return lostDependency(e.driverError, depth + 1) ?? lostDependency(e.cause, depth + 1);
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
