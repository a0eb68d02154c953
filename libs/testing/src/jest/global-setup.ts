import { describeInfrastructure, startTestInfrastructure, type TestInfrastructure } from '../infrastructure/test-infrastructure';

/**
 * Jest global setup for projects whose tests talk to PostgreSQL (and Kafka unless the project sets
 * `globals.chipLedgerNeedsKafka = false`). Reuses what the environment gives (`npm test` starts both once
 * for all projects); starts what is missing; the teardown stops only that.
 */
export default async function globalSetup(_global: unknown, project: { globals?: Record<string, unknown> }): Promise<void> {
  const kafka = project.globals?.['chipLedgerNeedsKafka'] !== false;
  const infra = await startTestInfrastructure({ kafka });
  (globalThis as { __CHIPLEDGER_INFRA__?: TestInfrastructure }).__CHIPLEDGER_INFRA__ = infra;
  if (infra.postgres.embedded || infra.kafka?.startedByUs) console.log(`\n[testing] ${describeInfrastructure(infra)}`);
}
