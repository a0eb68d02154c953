import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ProblemSchema } from './problem.schema';

/** The vendor extension listing the roles that may call an operation (from `@Roles`). */
export const ROLES_EXTENSION = 'x-roles';
/** Marks an operation `@Public()` until `finishOpenApiDocument` turns it into `security: []`. */
export const PUBLIC_EXTENSION = 'x-public';

export interface OpenApiInfo {
  readonly title: string;
  readonly description: string;
}

const PROBLEM_CONTENT = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The OpenAPI description of an app's controllers, finished (see `finishOpenApiDocument`). Works on an app
 * created with `{ preview: true }` too, which instantiates nothing: the document needs no database.
 */
export function buildOpenApiDocument(app: INestApplication, info: OpenApiInfo): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(info.title)
    .setDescription(info.description)
    .setVersion('1')
    .addServer('/', 'The server that serves this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT (HS256) with sub, org, role and exp; `npm run cli -- token` mints one.' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  return finishOpenApiDocument(SwaggerModule.createDocument(app, config, { extraModels: [ProblemSchema] }));
}

/**
 * What the decorators cannot say per operation, applied to every one alike: a public operation gets
 * `security: []` (the document's default is the bearer token), every other one its 401 and 403 answers and
 * its roles in the description (mirroring `x-roles`); every operation may answer 500; and every 4xx and 5xx
 * answer without a body of its own carries the shared `Problem` schema as application/problem+json.
 */
export function finishOpenApiDocument(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method] as (Record<string, unknown> & { responses: Record<string, Record<string, unknown>>; description?: string }) | undefined;
      if (!operation) continue;
      if (operation[PUBLIC_EXTENSION]) {
        delete operation[PUBLIC_EXTENSION];
        operation['security'] = [];
      } else {
        const roles = operation[ROLES_EXTENSION] as readonly string[] | undefined;
        if (roles) operation.description = [operation.description, `Roles: ${roles.join(', ')}.`].filter(Boolean).join('\n\n');
        operation.responses['401'] ??= { description: 'No bearer token, or one that is invalid or expired (AUTH.UNAUTHENTICATED)' };
        operation.responses['403'] ??= {
          description: roles ? `The caller's role is not one of: ${roles.join(', ')} (AUTH.ROLE_NOT_ALLOWED)` : 'The caller may not do this (AUTH.FORBIDDEN)',
        };
      }
      // As the problem's detail says (toProblem): a read changed nothing; of a command, whether it was recorded is not known.
      operation.responses['500'] ??= {
        description:
          method === 'get' || method === 'head'
            ? 'Unexpected error (SERVER.UNEXPECTED): the request could not be completed; nothing was changed'
            : 'Unexpected error (SERVER.UNEXPECTED): the request could not be completed; whether the command was recorded is not known, so retry it with the same Idempotency-Key',
      };
      for (const [status, response] of Object.entries(operation.responses)) {
        // A response that describes its own body keeps it (GET /health answers 503 with its usual shape).
        if (Number(status) >= 400 && response['content'] === undefined) response['content'] = PROBLEM_CONTENT;
      }
      operation.responses = Object.fromEntries(Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)));
    }
  }
  return document;
}

/** OpenAPI description at GET /openapi.json and Swagger UI at /docs, both public. */
export function setupOpenApi(app: INestApplication, title: string, description: string): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app, { title, description }), { jsonDocumentUrl: 'openapi.json', raw: ['json'] });
}
