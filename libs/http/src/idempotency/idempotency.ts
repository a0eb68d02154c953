import { createHash } from 'node:crypto';
import { problem } from '../problem/problem-details';
import { ProblemException } from '../problem/error-mapping';

/** What a command needs to be retried safely: the client's key and a fingerprint of the request. */
export interface IdempotencyRequest {
  readonly key: string;
  /** SHA-256 of method, route and canonical body: the same key with another body is refused (422). */
  readonly requestHash: string;
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const VALID_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * The request's Idempotency-Key (optional) with its fingerprint, or null when the client sent none.
 * A retry with the same key and body returns the first response and records nothing.
 */
export function readIdempotency(request: { headers: Record<string, string | string[] | undefined>; method: string; originalUrl: string; body: unknown }): IdempotencyRequest | null {
  const key = request.headers[IDEMPOTENCY_HEADER];
  if (key === undefined) return null;
  if (typeof key !== 'string' || !VALID_KEY.test(key)) {
    throw invalidKey();
  }
  return { key, requestHash: fingerprint(request.method, request.originalUrl.split('?')[0], request.body) };
}

function invalidKey(): ProblemException {
  return new ProblemException(
    problem(400, 'IDEMPOTENCY.INVALID_KEY', 'Invalid Idempotency-Key', 'Idempotency-Key must be 1 to 200 visible ASCII characters.', { field: 'Idempotency-Key' }),
  );
}

export function fingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method.toUpperCase()} ${path}\n${canonical(body)}`).digest('hex');
}

/** JSON with sorted keys, so a client re-serialising the same body gets the same fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
