import { type DynamicModule, Module } from '@nestjs/common';
import { requireDistributed, type AppConfig } from '@chip-ledger/http';
import { serviceInfrastructure } from '@chip-ledger/infrastructure';
import { ProjectionServiceModule } from '@chip-ledger/read-models';

/**
 * `PROJECTIONS` (comma-separated read model names, default all): the read models this instance consumes, e.g.
 * `findings` in one process and `chip-mix,licence-balances,rentals` in another (each on a core of its own).
 * Every instance serves every query; `none` makes a query instance that consumes nothing; an unknown name stops
 * the start.
 */
const projectionsToRun = (value: string | undefined): string[] | undefined => {
  // A query instance: serves the API, consumes nothing (read load scales apart from the projectors).
  if (value?.trim() === 'none') return [];
  const names = (value ?? '').split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  return names.length > 0 ? names : undefined;
};

/**
 * projection-service: consumer groups over every context topic feeding the read models, and the query
 * API. Run several instances to share the partitions.
 */
@Module({})
export class ProjectionServiceAppModule {
  static forRoot(appConfig: AppConfig): DynamicModule {
    const config = requireDistributed(appConfig, 'projection-service');
    return {
      module: ProjectionServiceAppModule,
      imports: [
        ...serviceInfrastructure({ config, databaseUrl: config.databaseUrl, service: 'projection-service', relayedContexts: [] }),
        ProjectionServiceModule.forRoot({ kind: 'kafka', brokers: config.kafkaBrokers, topicPrefix: config.kafkaTopicPrefix, run: projectionsToRun(process.env['PROJECTIONS']) }),
      ],
    };
  }
}
