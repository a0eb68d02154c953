import 'reflect-metadata';
import { loadConfig, startHttpApp } from '@chip-ledger/http';
import { ProcurementServiceModule } from './app/procurement-service.module';

/** The procurement context alone (distributed form): DATABASE_URL and KAFKA_BROKERS are required. */
async function main(): Promise<void> {
  const config = loadConfig(process.env, { port: 3001 });
  await startHttpApp(ProcurementServiceModule.forRoot(config), config, {
    name: 'procurement-service',
    title: 'Chip Ledger: procurement',
    description: 'Organisations, chip catalog, data centers, purchase orders, deliveries, installations, removals, transfers and US export licences.',
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
