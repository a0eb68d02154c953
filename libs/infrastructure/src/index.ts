export * from './nest/database.module';
export * from './nest/health.module';
export * from './nest/probes';
export * from './nest/kafka-relay.module';
export * from './nest/service-infrastructure';
