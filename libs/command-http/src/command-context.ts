import { applyDecorators, createParamDecorator, type ExecutionContext, HttpCode, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader } from '@nestjs/swagger';
import type { Actor } from '@chip-ledger/domain';
import { ApiBodyProblems, ApiProblem, Operation, problem, ProblemException, readIdempotency, requestIdOf, type OperationDoc } from '@chip-ledger/http';
import type { CommandMeta } from '@chip-ledger/command-side';
import { CommandResponse } from './command-response';
import { CommandResponseInterceptor } from './command-response.interceptor';

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

/**
 * A controller of commands: each handler's CommandOutcome is answered as a CommandResponse with a read-your-writes
 * position (CommandResponseInterceptor); OpenAPI for the headers every command endpoint takes, and its error answers
 * (401, 403 and 500 are in every operation).
 */
export const CommandEndpoints = (): ClassDecorator =>
  applyDecorators(
    UseInterceptors(CommandResponseInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Retry-safe key (1-200 visible ASCII characters): a retry with the same key and body returns the first response and records nothing; the same key with another body is a 422.',
      schema: { type: 'string', minLength: 1, maxLength: 200, example: 'install-dc-gansu-qingyang-1-2025-09-15' },
    }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'Version of the target stream the client decided on (the `version` a write answered); a stale version is a 409 with the current version.',
      schema: { type: 'string', pattern: '^(W/)?"?\\d{1,9}"?$', example: '"3"' },
    }),
    ApiBodyProblems(),
    ApiProblem(404, 'Unknown resource, or one of another organisation (the same answer)'),
    ApiProblem(409, 'The current state forbids it, or the If-Match version is stale (STREAM.WRONG_EXPECTED_VERSION with the current version)'),
    ApiProblem(422, 'Refused by a domain rule, or Idempotency-Key reused with another body (IDEMPOTENCY.KEY_REUSED)'),
    ApiProblem(
      503,
      'With a Retry-After header. LEDGER.BUSY: the stream stayed locked by another transaction, nothing was recorded. ' +
        'SERVICE.DEPENDENCY_UNAVAILABLE: the database connection was lost or refused, and whether the command was recorded is not known. ' +
        'Either way, retry with the same Idempotency-Key: a command that was recorded answers with its original result.',
    ),
  );

/**
 * One command operation: its name, summary and description, answering 201 with a CommandResponse
 * (`created` says what the 201 means when it is more than "recorded").
 */
export const CommandOperation = (doc: OperationDoc & { readonly created?: string }): MethodDecorator =>
  applyDecorators(Operation(doc), HttpCode(201), ApiCreatedResponse({ type: CommandResponse, description: doc.created ?? 'Recorded: the streams written, their new versions and a read-your-writes position' }));
