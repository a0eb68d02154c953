import type { Provider } from '@nestjs/common';
import { SERVICE_METRICS, type ServiceMetrics } from '@chip-ledger/infrastructure';
import { ProjectionEngineHost } from './projection-engine.provider';

const PROJECTION_METRICS = Symbol('PROJECTION_METRICS');

/** Hands the projection engine to the service's metrics (lag, events applied, dead letters at GET /metrics). */
export const projectionMetricsProvider: Provider = {
  provide: PROJECTION_METRICS,
  inject: [ProjectionEngineHost, { token: SERVICE_METRICS, optional: true }],
  useFactory: (host: ProjectionEngineHost, metrics?: ServiceMetrics) => {
    metrics?.watchProjections(host.engine);
    return true;
  },
};
