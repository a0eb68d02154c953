import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { toProblem } from './error-mapping';
import { PROBLEM_CONTENT_TYPE } from './problem-details';

/** Every error leaves as application/problem+json; unexpected ones are logged with their stack. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const { problem, unexpected } = toProblem(error, { method: request.method });
    if (unexpected) this.logger.error(`${request.method} ${request.url}: ${(error as Error)?.stack ?? String(error)}`);
    if (response.headersSent) return;
    // RFC 9110 §10.2.3: a 503 says when to come back; clients and proxies read the header, not the body.
    if (typeof problem['retryAfterSeconds'] === 'number') response.setHeader('Retry-After', String(problem['retryAfterSeconds']));
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify({ ...problem, instance: request.originalUrl ?? request.url }));
  }
}
