import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * What a caller's X-Request-Id may be to be kept: up to 128 visible ASCII characters. Anything else (too long,
 * spaces, control characters) is replaced by a fresh id rather than refused: the request itself is fine, and the
 * id is echoed in a response header and stored with the events the request records.
 */
const ACCEPTABLE_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * pino-http's `genReqId`: the caller's X-Request-Id when acceptable, else a new UUID; returned on the response
 * either way, so a client (or a proxy that generated it) can quote it.
 */
export function assignRequestId(request: IncomingMessage, response: ServerResponse): string {
  const given = request.headers['x-request-id'];
  const id = typeof given === 'string' && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
  response.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** The id {@link assignRequestId} gave this request (pino-http keeps it as `request.id`), if any. */
export function requestIdOf(request: object): string | null {
  const id = (request as { id?: unknown }).id;
  return typeof id === 'string' ? id : null;
}
