export * from './nest/database.module';
export * from './nest/health.module';
export * from './nest/probes';
export * from './nest/kafka-relay.module';
export * from './nest/service-infrastructure';
export * from './metrics/metrics.module';
export * from './metrics/metrics-sources';
export * from './metrics/service-metrics';
