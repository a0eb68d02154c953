import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { Actor } from '@chip-ledger/domain';
import { problem, ProblemException, readIdempotency, requestIdOf } from '@chip-ledger/http';
import type { CommandMeta } from '../command-executor';

/**
 * The If-Match header as a stream version (`If-Match: 3` or `If-Match: "3"`), or null. A command whose
 * target stream has moved on since that version is refused with 409 and the current version.
 */
export function readIfMatch(headers: Record<string, string | string[] | undefined>): number | null {
  const header = headers['if-match'];
  if (header === undefined) return null;
  const match = typeof header === 'string' ? /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header) : null;
  if (!match) {
    throw new ProblemException(problem(400, 'REQUEST.INVALID_IF_MATCH', 'Invalid If-Match', 'If-Match must be a stream version, e.g. "3".', { field: 'If-Match' }));
  }
  return Number(match[1]);
}

/** Everything a command takes from the request besides its body: actor, Idempotency-Key, If-Match, request id. */
export const CommandContext = createParamDecorator((_: unknown, ctx: ExecutionContext): CommandMeta => {
  const request = ctx.switchToHttp().getRequest<{ actor?: Actor; headers: Record<string, string | undefined>; method: string; originalUrl: string; body: unknown }>();
  if (!request.actor) throw new Error('CommandContext used on a route without authentication');
  return { actor: request.actor, idempotency: readIdempotency(request), ifMatch: readIfMatch(request.headers), correlationId: requestIdOf(request) };
});

/** OpenAPI for the headers every command endpoint takes, and its error answers. */
export const CommandEndpoints = (): ClassDecorator =>
  applyDecorators(
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry-safe key: a retry with the same key and body returns the first response and records nothing; the same key with another body is a 422.' }),
    ApiHeader({ name: 'If-Match', required: false, description: 'Version of the target stream the client decided on; a stale version is a 409 with the current version.' }),
    ApiBearerAuth(),
    ApiResponse({ status: 400, description: 'Invalid request, or text PostgreSQL cannot store (U+0000, unpaired surrogates): problem+json naming the field' }),
    ApiResponse({ status: 401, description: 'No or invalid bearer token' }),
    ApiResponse({ status: 403, description: 'Role not allowed' }),
    ApiResponse({ status: 404, description: 'Unknown or inaccessible resource' }),
    ApiResponse({ status: 409, description: 'State conflict or stale version' }),
    ApiResponse({ status: 422, description: 'Refused by a domain rule, or Idempotency-Key reused with another body' }),
    ApiResponse({ status: 503, description: 'The stream stayed locked by another transaction (LEDGER.BUSY); nothing was recorded: retry with the same Idempotency-Key' }),
  );
