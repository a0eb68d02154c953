import { type DynamicModule, Module } from '@nestjs/common';
import { requireDistributed } from '@chip-ledger/http';
import { serviceInfrastructure, topicReplication } from '@chip-ledger/infrastructure';
import { ProjectionServiceModule } from '@chip-ledger/read-models';
import type { ProjectionServiceConfig } from './projection-service.config';

/**
 * projection-service: consumer groups over every context topic feeding the read models, and the query
 * API. Run several instances to share the partitions.
 */
@Module({})
export class ProjectionServiceAppModule {
  static forRoot(appConfig: ProjectionServiceConfig): DynamicModule {
    const config = requireDistributed(appConfig, 'projection-service');
    return {
      module: ProjectionServiceAppModule,
      imports: [
        ...serviceInfrastructure({ config, databaseUrl: config.databaseUrl, service: 'projection-service', relayedContexts: [] }),
        ProjectionServiceModule.forRoot({
          kind: 'kafka',
          brokers: config.kafkaBrokers,
          topicPrefix: config.kafkaTopicPrefix,
          run: config.projections,
          exclusiveBatch: config.exclusiveBatch,
          replication: topicReplication(config),
          maxLag: config.projectionMaxLag,
        }),
      ],
    };
  }
}
