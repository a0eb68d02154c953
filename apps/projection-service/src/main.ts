import 'reflect-metadata';
import { exitOnStartupFailure, startHttpApp } from '@chip-ledger/http';
import { ProjectionServiceAppModule } from './app/projection-service-app.module';
import { loadProjectionServiceConfig } from './app/projection-service.config';

/** Projections and the dashboards' query API (distributed form): DATABASE_URL and KAFKA_BROKERS are required. */
async function main(): Promise<void> {
  const config = loadProjectionServiceConfig(process.env);
  await startHttpApp(ProjectionServiceAppModule.forRoot(config), config, {
    name: 'projection-service',
    title: 'Chip Ledger: projections and queries',
    description: "Each data center's chip mix, fleet mix, compliance findings, licence balances and rentals, projected from Kafka.",
    dashboard: true,
  });
}

main().catch(exitOnStartupFailure);
