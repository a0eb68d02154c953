import 'reflect-metadata';
import { exitOnStartupFailure, loadConfig, startHttpApp } from '@chip-ledger/http';
import { RentalServiceModule } from './app/rental-service.module';

/** The rental context alone (distributed form): DATABASE_URL and KAFKA_BROKERS are required. */
async function main(): Promise<void> {
  const config = loadConfig(process.env, { service: 'rental-service', port: 3002 });
  await startHttpApp(RentalServiceModule.forRoot(config), config, {
    name: 'rental-service',
    title: 'Chip Ledger: rental',
    description: "Capacity rented to tenants: rentals started, extended and ended.",
  });
}

main().catch(exitOnStartupFailure);
