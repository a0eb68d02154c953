import 'reflect-metadata';
import { exitOnStartupFailure, loadConfig, startHttpApp } from '@chip-ledger/http';
import { ProcurementServiceModule } from './app/procurement-service.module';

/** The procurement context alone (distributed form): DATABASE_URL and KAFKA_BROKERS are required. */
async function main(): Promise<void> {
  const config = loadConfig(process.env, { service: 'procurement-service', port: 3001 });
  await startHttpApp(ProcurementServiceModule.forRoot(config), config, {
    name: 'procurement-service',
    title: 'Chip Ledger: procurement',
    description: 'Organisations, chip catalog, data centers, purchase orders, deliveries, installations, removals, transfers and US export licences.',
  });
}

main().catch(exitOnStartupFailure);
