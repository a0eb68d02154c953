import 'reflect-metadata';
import { exitOnStartupFailure, loadConfig, startHttpApp } from '@chip-ledger/http';
import { AuditServiceModule } from './app/audit-service.module';

/** The audit context alone (distributed form): DATABASE_URL and KAFKA_BROKERS are required. */
async function main(): Promise<void> {
  const config = loadConfig(process.env, { service: 'audit-service', port: 3003 });
  await startHttpApp(AuditServiceModule.forRoot(config), config, {
    name: 'audit-service',
    title: 'Chip Ledger: audit',
    description: "Auditors' own facts (audits opened and closed, notes, findings acknowledged, case-by-case reviews decided) and their read side: histories, as-of questions, late facts, the rulebook's timeline.",
  });
}

main().catch(exitOnStartupFailure);
