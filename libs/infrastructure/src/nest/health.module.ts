import { Controller, type DynamicModule, Get, Global, Inject, Injectable, Module, type Provider, Res } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, TerminusModule, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import { ApiExtraModels, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Operation, Public } from '@chip-ledger/http';
import { HealthIndicatorResponse, HealthResponse, LivenessResponse } from './health.response.dto';

/** One dependency or part the service needs to be healthy; `check` resolves with details or throws why it is not. */
export interface HealthProbe {
  readonly name: string;
  check(): Promise<Record<string, unknown>>;
}

/** A probe that is down says why; its details go with the reason. */
export class ProbeDown extends Error {
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const HEALTH_PROBES = Symbol.for('chip-ledger.HealthProbes');
const PROBE_TIMEOUT_MS = 3_000;

/**
 * Probes added by modules that the app composes after its infrastructure (the projection engine's, one per read
 * model it runs): they register here instead of in the static HEALTH_PROBES list.
 */
@Injectable()
export class HealthProbeRegistry {
  private readonly probes: HealthProbe[] = [];

  register(...probes: HealthProbe[]): void {
    this.probes.push(...probes);
  }

  all(): readonly HealthProbe[] {
    return this.probes;
  }
}

/** What GET /health answers: Terminus' `info` / `error` / `details`, with `ok` or `degraded` and what is degraded. */
export type HealthReport = Omit<HealthCheckResult, 'status'> & {
  readonly service: string;
  readonly status: 'ok' | 'degraded';
  /** The checks that are down, each with its reason: `database: connect ECONNREFUSED 127.0.0.1:5432`. */
  readonly degraded: readonly string[];
};

@ApiTags('health')
@Controller('health')
@Public()
class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(HEALTH_PROBES) private readonly probes: HealthProbe[],
    @Inject(HealthProbeRegistry) private readonly registry: HealthProbeRegistry,
    @Inject('SERVICE_NAME') private readonly service: string,
  ) {}

  /**
   * 200 `ok` when every check passes; 503 `degraded` (same body shape) while one does not: a dependency down, a
   * relay failing, a projection behind or without a consumer. `degraded` lists each with its reason. The service
   * keeps running and recovers on its own: for a liveness probe, use /health/live.
   */
  @Get()
  @Operation({
    id: 'getHealth',
    summary: "The service's health and each check's",
    description:
      'Public: no token needed. 503 `degraded` while a dependency is down, a relay fails, or a read model is behind, has a failed consumer or partitions no consumer holds; `degraded` names each. For a liveness probe use GET /health/live.',
  })
  @ApiExtraModels(HealthIndicatorResponse)
  @ApiOkResponse({ type: HealthResponse, description: 'Every check passes' })
  @ApiResponse({ status: 503, type: HealthResponse, description: 'Degraded: a check does not pass (the same shape, not a problem)' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const checks = [...this.probes, ...this.registry.all()].map((probe) => async (): Promise<HealthIndicatorResult> => {
      const session = this.indicators.check(probe.name);
      try {
        return session.up(await withTimeout(probe.check(), PROBE_TIMEOUT_MS));
      } catch (error) {
        return session.down({ message: (error as Error).message, ...(error instanceof ProbeDown ? error.details : {}) });
      }
    });
    let result: HealthCheckResult;
    try {
      result = await this.health.check(checks);
    } catch (error) {
      result = (error as { getResponse?: () => HealthCheckResult }).getResponse?.() ?? { status: 'error', details: {} };
    }
    const down = degradedReasons(result);
    if (down.length > 0) response.status(503);
    return { service: this.service, ...result, status: down.length > 0 ? 'degraded' : 'ok', degraded: down };
  }

  /** Liveness: 200 while the process serves HTTP, whatever its dependencies (an outage is not a reason to restart it). */
  @Get('live')
  @Operation({
    id: 'getLiveness',
    summary: 'Whether the process serves HTTP',
    description: 'Public: no token needed. 200 whatever the dependencies: a service recovers from their outages on its own and must not be restarted for them.',
  })
  @ApiOkResponse({ type: LivenessResponse, description: 'The process serves HTTP' })
  live(): LivenessResponse {
    return { service: this.service, status: 'ok' };
  }
}

/**
 * What makes a health report `degraded` (a 503), one reason per line: each check in error; Terminus' `shutting_down`
 * (no check in error, but the app is stopping: a load balancer must stop sending requests then); a check run that
 * failed as a whole.
 */
export function degradedReasons(result: Pick<HealthCheckResult, 'status' | 'error'>): string[] {
  const down = Object.entries(result.error ?? {}).map(([name, detail]) => `${name}: ${String((detail as { message?: unknown }).message ?? 'down')}`);
  if (result.status === 'shutting_down') down.push('service: shutting down');
  else if (result.status !== 'ok' && down.length === 0) down.push('health: the checks could not be run');
  return down;
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

/** GET /health (Terminus) over the probes the app registers: database, Kafka, relays, projections... */
@Global()
@Module({})
export class HealthModule {
  /** @param imports modules exporting what the probes provider injects (e.g. the Kafka relays). */
  static forRoot(service: string, probes: Provider, imports: DynamicModule[] = []): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }), ...imports],
      controllers: [HealthController],
      providers: [probes, HealthProbeRegistry, { provide: 'SERVICE_NAME', useValue: service }],
      exports: [HealthProbeRegistry],
    };
  }
}
