import { timingSafeEqual } from 'node:crypto';
import { Controller, type DynamicModule, Get, Global, Inject, Injectable, type MiddlewareConsumer, Module, type NestMiddleware, type NestModule, RequestMethod, Res, Req } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response, NextFunction } from 'express';
import { matchedRoute, Operation, problem, ProblemException, Public } from '@chip-ledger/http';
import { ServiceMetrics } from './service-metrics';

/** Injection token of the service's {@link ServiceMetrics} (optional for the libraries that report to it). */
export const SERVICE_METRICS = Symbol.for('chip-ledger.ServiceMetrics');
const METRICS_TOKEN = Symbol('METRICS_TOKEN');

/** Times every request from arrival to the end of its response, labelled with the route template it matched. */
@Injectable()
class HttpMetricsMiddleware implements NestMiddleware {
  constructor(@Inject(SERVICE_METRICS) private readonly metrics: ServiceMetrics) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    let observed = false;
    const observe = () => {
      if (observed) return;
      observed = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.observeRequest(request.method, matchedRoute(request) ?? 'unmatched', response.statusCode, seconds);
    };
    response.once('finish', observe);
    response.once('close', observe);
    next();
  }
}

@ApiTags('metrics')
@Controller('metrics')
@Public()
class MetricsController {
  constructor(
    @Inject(SERVICE_METRICS) private readonly metrics: ServiceMetrics,
    @Inject(METRICS_TOKEN) private readonly token: Buffer | null,
  ) {}

  /** Prometheus exposition text. Public unless METRICS_TOKEN is set, then `Authorization: Bearer <METRICS_TOKEN>`. */
  @Get()
  @Operation({
    id: 'getMetrics',
    summary: "The service's metrics in Prometheus' text format",
    description: 'Public, like /health, unless METRICS_TOKEN is set: then `Authorization: Bearer <METRICS_TOKEN>`.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text format: HTTP latency, event store appends, relay backlog and lag, projection lag, events applied, dead letters; process metrics.',
    content: { 'text/plain': { schema: { type: 'string', example: '# TYPE chipledger_http_request_duration_seconds histogram' } } },
  })
  @ApiResponse({ status: 401, description: 'METRICS_TOKEN is set and the request does not carry it' })
  async scrape(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<string> {
    if (this.token && !this.presents(request.headers.authorization)) {
      throw new ProblemException(problem(401, 'AUTH.METRICS_TOKEN_REQUIRED', 'Unauthorized', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.'));
    }
    const { contentType, body } = await this.metrics.render();
    response.type(contentType);
    return body;
  }

  private presents(header: string | undefined): boolean {
    const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '', 'utf8');
    return this.token !== null && given.length === this.token.length && timingSafeEqual(given, this.token);
  }
}

/**
 * GET /metrics (Prometheus, prom-client) and the HTTP latency histogram. Global, so the libraries' Nest wiring
 * can hand their sources to {@link SERVICE_METRICS} where they are built (event stores, relays, projections).
 */
@Global()
@Module({})
export class MetricsModule implements NestModule {
  static forRoot(options: { service: string; bearerToken: string | null }): DynamicModule {
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [
        { provide: SERVICE_METRICS, useFactory: () => new ServiceMetrics(options.service) },
        { provide: METRICS_TOKEN, useValue: options.bearerToken === null ? null : Buffer.from(options.bearerToken, 'utf8') },
        HttpMetricsMiddleware,
      ],
      exports: [SERVICE_METRICS],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes({ path: '{/*splat}', method: RequestMethod.ALL });
  }
}
