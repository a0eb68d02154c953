import { Controller, type DynamicModule, Get, Inject, Module, type Provider, Res } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, TerminusModule, type HealthCheckResult } from '@nestjs/terminus';
import { ApiExtraModels, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Operation, Public } from '@chip-ledger/http';
import { HealthIndicatorResponse, HealthResponse } from './health.response.dto';

/** One dependency the service needs to be healthy; `check` resolves with details or throws. */
export interface HealthProbe {
  readonly name: string;
  check(): Promise<Record<string, unknown>>;
}

export const HEALTH_PROBES = Symbol.for('chip-ledger.HealthProbes');
const PROBE_TIMEOUT_MS = 3_000;

@ApiTags('health')
@Controller('health')
@Public()
class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(HEALTH_PROBES) private readonly probes: HealthProbe[],
    @Inject('SERVICE_NAME') private readonly service: string,
  ) {}

  /** 200 when every dependency answers, 503 (same body shape) when one does not. */
  @Get()
  @Operation({ id: 'getHealth', summary: "The service's health and each dependency's", description: 'Public: no token needed.' })
  @ApiExtraModels(HealthIndicatorResponse)
  @ApiOkResponse({ type: HealthResponse, description: 'Every dependency is up' })
  @ApiResponse({ status: 503, type: HealthResponse, description: 'A dependency is down (the same shape, not a problem)' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult & { service: string }> {
    const checks = this.probes.map((probe) => async () => {
      const session = this.indicators.check(probe.name);
      try {
        return session.up(await withTimeout(probe.check(), PROBE_TIMEOUT_MS));
      } catch (error) {
        return session.down({ message: (error as Error).message });
      }
    });
    try {
      return { service: this.service, ...(await this.health.check(checks)) };
    } catch (error) {
      response.status(503);
      const body = (error as { getResponse?: () => HealthCheckResult }).getResponse?.();
      return { service: this.service, ...(body ?? { status: 'error', details: {} }) } as HealthCheckResult & { service: string };
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

/** GET /health (Terminus) over the probes the app registers: database, Kafka, relay... */
@Module({})
export class HealthModule {
  /** @param imports modules exporting what the probes provider injects (e.g. the Kafka relays). */
  static forRoot(service: string, probes: Provider, imports: DynamicModule[] = []): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }), ...imports],
      controllers: [HealthController],
      providers: [probes, { provide: 'SERVICE_NAME', useValue: service }],
    };
  }
}
