import { applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse } from '@nestjs/swagger';

/** What every operation states: a client generator's method name (`id`), a one-line summary, and more when needed. */
export interface OperationDoc {
  readonly id: string;
  readonly summary: string;
  readonly description?: string;
}

/** Names and summarises an operation. Its roles come from `@Roles` (the `x-roles` extension). */
export const Operation = (doc: OperationDoc): MethodDecorator => ApiOperation({ operationId: doc.id, summary: doc.summary, description: doc.description });

/**
 * An error answer an operation may give. Its body is always the shared `Problem` schema as
 * application/problem+json: `finishOpenApiDocument` attaches it to every 4xx and 5xx response.
 */
export const ApiProblem = (status: number, description: string): MethodDecorator & ClassDecorator => ApiResponse({ status, description });

/** The errors any operation that reads a body may give, besides authentication (added to every document). */
export const ApiBodyProblems = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiProblem(400, 'Invalid request (REQUEST.INVALID naming every invalid field, REQUEST.MALFORMED_JSON, ...), or text PostgreSQL cannot store'),
    ApiProblem(413, 'The body is larger than 256 KiB (REQUEST.TOO_LARGE)'),
    ApiProblem(415, 'The body is not application/json in UTF-8 (REQUEST.UNSUPPORTED_MEDIA_TYPE), or its Content-Encoding is unknown'),
  );

/** A path parameter that is a client-chosen id (the IdField rule), with a realistic example of its own. */
export const ApiIdParam = (name: string, description: string, example: string): MethodDecorator =>
  ApiParam({ name, description, example, schema: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$' } });
