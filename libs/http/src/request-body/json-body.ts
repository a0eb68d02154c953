import bodyParser from 'body-parser';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import typeis from 'type-is';
import { ProblemException } from '../problem/error-mapping';
import { problem } from '../problem/problem-details';

/**
 * The largest request body accepted, in bytes. The largest valid command is a remittance naming 1,000 delivery
 * ids of 100 characters (about 103 KB); a 10,000-character audit note written entirely as \uXXXX escapes is
 * about 60 KB. 256 KiB leaves room for both and refuses anything far beyond what a command can mean.
 */
export const MAX_REQUEST_BODY_BYTES = 256 * 1024;

/**
 * How deeply a body's objects and arrays may nest. The deepest valid command is four levels (a chip-model
 * correction's figure); everything that walks a body (validation, the idempotency fingerprint, text checks)
 * recurses, so a 100,000-level array would overflow the stack: it is refused first.
 */
export const MAX_REQUEST_BODY_DEPTH = 32;

/** The only media type a request body may have. */
export const REQUEST_BODY_MEDIA_TYPE = 'application/json';

/**
 * The one body parser of every service (Nest's own are turned off): a body must be declared
 * `application/json` (else 415), be at most `limitBytes` (else 413) and parse as a JSON object or array
 * (else 400). Each refusal is a problem naming what is at fault (`Content-Type`, `Content-Encoding`,
 * `Content-Length` or `body`). A request without a body (none, or Content-Length: 0) passes untouched.
 */
export function jsonRequestBody(limitBytes: number = MAX_REQUEST_BODY_BYTES): RequestHandler {
  const parse = bodyParser.json({ limit: limitBytes, strict: true, type: REQUEST_BODY_MEDIA_TYPE });
  return (request: Request, response: Response, next: NextFunction) => {
    if (!carriesBody(request)) return next();
    if (typeis(request, [REQUEST_BODY_MEDIA_TYPE]) === false) return next(unsupportedMediaType(request.headers['content-type']));
    parse(request, response, (error?: unknown) => {
      if (error !== undefined) return next(bodyProblem(error, limitBytes));
      if (nestsDeeperThan(request.body, MAX_REQUEST_BODY_DEPTH)) {
        return next(
          new ProblemException(
            problem(400, 'REQUEST.TOO_DEEP', 'The request body nests too deeply', `Objects and arrays may nest at most ${MAX_REQUEST_BODY_DEPTH} levels deep.`, { field: 'body' }),
          ),
        );
      }
      next();
    });
  };
}

/** Whether objects and arrays in `value` nest deeper than `limit`; iterative, so any depth is measured safely. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    if (next.depth + 1 > limit) return true;
    for (const member of Object.values(next.value)) pending.push({ value: member, depth: next.depth + 1 });
  }
  return false;
}

function carriesBody(request: Request): boolean {
  return typeis.hasBody(request) && request.headers['content-length'] !== '0';
}

function unsupportedMediaType(contentType: string | undefined): ProblemException {
  const given = contentType === undefined ? 'no Content-Type' : `Content-Type ${JSON.stringify(contentType.slice(0, 100))}`;
  return new ProblemException(
    problem(415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type', `A request body must be ${REQUEST_BODY_MEDIA_TYPE} (UTF-8); got ${given}.`, {
      field: 'Content-Type',
    }),
  );
}

/**
 * body-parser's refusals (http-errors with a `type`) as problems. Its messages may quote the body, so the
 * detail is ours, never the parser's text.
 */
export function bodyProblem(error: unknown, limitBytes: number): unknown {
  const type = (error as { type?: unknown } | null)?.type;
  switch (type) {
    case 'entity.too.large':
      return new ProblemException(
        problem(413, 'REQUEST.TOO_LARGE', 'The request body is too large', `A request body may have at most ${limitBytes} bytes.`, { field: 'body', limitBytes }),
      );
    case 'entity.parse.failed':
      return new ProblemException(
        problem(400, 'REQUEST.MALFORMED_JSON', 'The request body is not valid JSON', `The body must be a JSON object: ${parserReason(error)}.`, { field: 'body' }),
      );
    case 'charset.unsupported':
      return new ProblemException(
        problem(415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type', `A request body must be ${REQUEST_BODY_MEDIA_TYPE} in UTF-8.`, { field: 'Content-Type' }),
      );
    case 'encoding.unsupported':
      return new ProblemException(
        problem(415, 'REQUEST.UNSUPPORTED_ENCODING', 'Unsupported content encoding', 'Content-Encoding may be identity, gzip, deflate or br.', { field: 'Content-Encoding' }),
      );
    case 'request.size.invalid':
      return new ProblemException(
        problem(400, 'REQUEST.INCOMPLETE_BODY', 'The request body does not match its length', 'The body received is not as long as Content-Length says.', {
          field: 'Content-Length',
        }),
      );
    case 'request.aborted':
      return new ProblemException(problem(400, 'REQUEST.INCOMPLETE_BODY', 'The request body was cut off', 'The client closed the request before its body ended.', { field: 'body' }));
    default: {
      // Anything else the parser refused with a 4xx (a gzip body that is not gzip, ...) is the body's fault.
      const status = (error as { status?: unknown } | null)?.status;
      if (typeof status !== 'number' || status < 400 || status > 499) return error;
      return new ProblemException(
        problem(400, 'REQUEST.UNREADABLE_BODY', 'The request body cannot be read', 'The body could not be decoded as its Content-Encoding says.', { field: 'body' }),
      );
    }
  }
}

/** The JSON parser's reason without the text it quotes (V8 quotes up to the whole body in some messages). */
function parserReason(error: unknown): string {
  const message = String((error as Error).message ?? '');
  const position = /position (\d+)/.exec(message)?.[1];
  if (/end of JSON input|Unterminated/i.test(message)) return 'it ends too early';
  return position === undefined ? 'it is not valid JSON (a JSON object or array is expected)' : `it is not valid JSON at position ${position}`;
}
